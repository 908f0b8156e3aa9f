import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { alignmentFromProjection, rSquared } from '../../src/compress/alignmentFit.js';
import { createProjection } from '../../src/distill/projection.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { planAlignment } from '../../src/runtime/alignment.js';

beforeAll(async () => {
  await initTraining();
});

describe('alignmentFromProjection', () => {
  it.each(['linear', 'lowRank'] as const)(
    'a %s projection from distillation gives the same feature on the kernels',
    async (kind) => {
      const p = createProjection(kind, [24], [10], createRng(3), 4);
      const x = tf.randomNormal([1, 24], 0, 1, 'float32', 5);
      const want = tf.tidy(() => p.apply(x).dataSync() as Float32Array);
      const a = planAlignment(await loadKernels(), alignmentFromProjection(p, 'rgb', 'depth'));
      const got = a.apply(x.dataSync() as Float32Array);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!)) * 24));
      a.dispose();
      x.dispose();
      p.dispose();
    },
  );

  it('refuses a 1×1-conv projection, which maps feature maps, not vectors', () => {
    const p = createProjection('conv1x1', [4, 4, 3], [4, 4, 5], createRng(1));
    let e: unknown = null;
    try {
      alignmentFromProjection(p, 'a', 'b');
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'Unsupported')).toBe(true);
    p.dispose();
  });
});

describe('rSquared', () => {
  it('is 1 for a perfect prediction, 0 for the per-coordinate mean, and negative for worse', () => {
    const truth = new Float32Array([1, 10, 3, 20, 5, 30]); // 3 rows of 2
    expect(rSquared(truth, truth, 2)).toBe(1);
    expect(rSquared(new Float32Array([3, 20, 3, 20, 3, 20]), truth, 2)).toBeCloseTo(0, 12);
    expect(rSquared(new Float32Array([5, 30, 3, 20, 1, 10]), truth, 2)).toBeCloseTo(-3, 12);
  });
});
