import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../../src/backend/initTraining.js';
import { createRng } from '../../../src/core/rng.js';
import {
  applyBatchNorm,
  BN_EPSILON,
  BN_MOMENTUM,
  initBatchNorm,
  trainingBatchNorm,
} from '../../../src/nn/layers/batchNorm.js';

beforeAll(async () => {
  await initTraining();
});

const randomTensor = (seed: number, shape: number[], scale = 1, offset = 0): tf.Tensor => {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => offset + scale * rng.normal()),
    shape,
  );
};

/** Batch norm differentiated through tf.moments by autodiff: the reference for the analytic gradient. */
const autodiffBatchNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPSILON))), g), b);
};

const maxAbs = (t: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]!);

describe('trainingBatchNorm', () => {
  for (const shape of [
    [6, 5, 4, 3],
    [7, 9, 5],
    [11, 4],
  ]) {
    it(`matches autodiff through the batch moments in value and in all three gradients on [${shape.join(', ')}]`, () => {
      const c = shape[shape.length - 1]!;
      const x = randomTensor(1, shape, 3, 2);
      const g = randomTensor(2, [c]);
      const b = randomTensor(3, [c]);
      const w = randomTensor(4, shape);
      const loss =
        (bn: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
        (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(bn(xx, gg, bb), w));
      const mine = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor): tf.Tensor => {
        const r = trainingBatchNorm(xx, gg, bb);
        tf.dispose([r.mean, r.variance]);
        return r.y;
      };
      tf.tidy(() => {
        const ref = tf.grads(loss(autodiffBatchNorm))([x, g, b]);
        const got = tf.grads(loss(mine))([x, g, b]);
        expect(maxAbs(tf.sub(mine(x, g, b), autodiffBatchNorm(x, g, b)))).toBeLessThan(1e-5);
        ref.forEach((r, i) => expect(maxAbs(tf.sub(got[i]!, r)) / maxAbs(r)).toBeLessThan(1e-5));
      });
      tf.dispose([x, g, b, w]);
    });
  }

  it('returns the batch moments (biased variance) it normalised with', () => {
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    const r = trainingBatchNorm(x, tf.ones([2]), tf.zeros([2]));
    expect(Array.from(r.mean.dataSync())).toEqual([2, 20]);
    expect(Array.from(r.variance.dataSync())).toEqual([1, 100]);
    tf.dispose([x, r.y, r.mean, r.variance]);
  });
});

describe('applyBatchNorm', () => {
  it('moves the running statistics toward the batch moments with momentum 0.9 in training', () => {
    const { params, state } = initBatchNorm(2);
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    tf.tidy(() => applyBatchNorm(x, params, state, { training: true }));
    const expectMean = [2, 20].map((m) => (1 - BN_MOMENTUM) * m);
    const expectVar = [1, 100].map((v) => BN_MOMENTUM + (1 - BN_MOMENTUM) * v);
    Array.from(state.mean.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expectMean[i]!, 5));
    Array.from(state.variance.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expectVar[i]!, 4));
    tf.dispose([x, params.gamma, params.beta, state.mean, state.variance]);
  });

  it('leaves no tensor behind in a training step (forward, gradients, running statistics)', () => {
    const { params, state } = initBatchNorm(3);
    const x = randomTensor(5, [4, 3, 3, 3]);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.square(applyBatchNorm(x, params, state, { training: true }))) as tf.Scalar,
      [params.gamma, params.beta],
    );
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, params.gamma, params.beta, state.mean, state.variance]);
  });
});
