import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createProjection } from '../../src/distill/projection.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { thrown } from '../support/thrown.js';

beforeAll(async () => {
  await initTraining();
});

describe('alignment projections', () => {
  it.each([
    ['linear', [64], [128], [5, 64], [5, 128], 64 * 128 + 128],
    ['lowRank', [64], [128], [5, 64], [5, 128], 64 * 16 + 16 * 128 + 128],
    ['conv1x1', [4, 4, 8], [4, 4, 12], [2, 4, 4, 8], [2, 4, 4, 12], 8 * 12 + 12],
  ] as const)(
    '%s maps the student shape to the teacher shape with the expected parameter count',
    (kind, s, t, xs, ys, params) => {
      const p = createProjection(kind, s, t, createRng(0));
      const y = tf.tidy(() => p.apply(tf.ones(xs as unknown as number[])));
      expect(y.shape).toEqual(ys);
      expect(p.variables.reduce((a, v) => a + v.size, 0)).toBe(params);
      y.dispose();
      p.dispose();
    },
  );

  it('low rank computes x·U·V + b, the bias included', () => {
    const p = createProjection('lowRank', [3], [2], createRng(1), 2);
    // The bias starts at zero: give it a value so that leaving it out would show.
    (p.params['b'] as tf.Variable).assign(tf.tensor1d([0.5, -1.25]));
    const x = tf.tensor2d([[1, 2, 3]]);
    const want = tf.tidy(() =>
      tf.add(
        tf.matMul(tf.matMul(x, p.params['u'] as tf.Tensor2D), p.params['v'] as tf.Tensor2D),
        tf.tensor1d([0.5, -1.25]),
      ),
    );
    const got = tf.tidy(() => p.apply(x));
    Array.from(got.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(want.dataSync()[i]!, 5));
    tf.dispose([x, want, got]);
    p.dispose();
  });

  it('refuses identity between shapes that differ: they cannot be aligned without a projection', () => {
    const e = thrown(() => createProjection('identity', [64], [128], createRng(0)));
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/cannot be aligned without a projection/);
  });

  it('refuses a 1×1 conv between feature maps of different spatial sizes', () => {
    expect(
      isKapriError(
        thrown(() => createProjection('conv1x1', [4, 4, 8], [8, 8, 8], createRng(0))),
        'InvalidShape',
      ),
    ).toBe(true);
  });
});
