/** An alignment distance defined outside src: one registerAlignDistance call, then featureAlign takes its name. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../../src/backend/initTraining.js';
import { isKapriError } from '../../../src/core/errors.js';
import { cosineDistance } from '../../../src/distill/losses/distances/cosine.js';
import { featureAlign } from '../../../src/distill/losses/featureLosses.js';
import { alignDistanceNames, registerAlignDistance } from '../../../src/distill/losses/registry.js';
import { thrown } from '../../support/thrown.js';

beforeAll(async () => {
  await initTraining();
});

registerAlignDistance({
  name: 'l1',
  description: 'the batch mean of Σ|s − t|',
  distance: (s, t) => tf.mean(tf.sum(tf.abs(tf.sub(s, t)), 1)) as tf.Scalar,
});

describe('the alignment-distance registry', () => {
  it('lists the built-in distances, then the registered one', () => {
    expect(alignDistanceNames()).toEqual(['l2', 'cosine', 'l1']);
  });

  it('lets featureAlign use the registered distance by name, weight applied, teacher side held constant', () => {
    const s = tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]));
    const t = tf.variable(tf.tensor2d([0, 1, 5, 3], [2, 2]));
    // (|1| + |1| + |−2| + |1|) / 2 rows = 2.5, times the weight 2
    const { value, grads } = tf.variableGrads(() => featureAlign(s, t, 'l1', 2), [s, t]);
    expect(value.dataSync()[0]).toBeCloseTo(5, 6);
    expect(Array.from(grads[s.name]!.dataSync())).toEqual([1, 1, -1, 1]);
    expect(Array.from(grads[t.name]!.dataSync())).toEqual([0, 0, 0, 0]);
    tf.dispose([s, t, value, ...Object.values(grads)]);
  });

  it('refuses a taken name, and names the registered distances for an unknown one', () => {
    expect(
      isKapriError(
        thrown(() => registerAlignDistance({ ...cosineDistance })),
        'DuplicateName',
      ),
    ).toBe(true);
    const e = thrown(() => featureAlign(tf.zeros([1, 2]), tf.zeros([1, 2]), 'cosnie'));
    expect(isKapriError(e, 'InvalidConfig')).toBe(true);
    expect((e as Error).message).toBe(
      "unknown alignment distance 'cosnie'; alignment distances: l2, cosine, l1; did you mean 'cosine'?",
    );
  });
});
