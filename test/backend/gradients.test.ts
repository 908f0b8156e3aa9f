/**
 * Every op the models use has a gradient on wasm that matches tfjs's cpu backend, including the
 * kernels kapri supplies (conv filter gradient, depthwise gradients, UnsortedSegmentSum).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';

interface Input {
  shape: number[];
  data: Float32Array;
}
type Fn = (...xs: tf.Tensor[]) => tf.Scalar;

const input = (shape: number[], seed: number, positive = false): Input => {
  const r = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => (positive ? 0.5 + r.uniform() : r.normal())) };
};

const gradsOn = async (
  backend: 'wasm' | 'cpu',
  f: Fn,
  inputs: Input[],
): Promise<{ value: number; grads: Float32Array[] }> => {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, i.shape));
    const { value, grads } = tf.valueAndGrads(f)(xs);
    return { value: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
};

const expectClose = (a: Float32Array, b: Float32Array, rtol: number): void => {
  expect(a.length).toBe(b.length);
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst / scale).toBeLessThan(rtol);
};

const checkAgainstCpu = async (f: Fn, inputs: Input[], rtol = 1e-4): Promise<void> => {
  const w = await gradsOn('wasm', f, inputs);
  const c = await gradsOn('cpu', f, inputs);
  expect(Math.abs(w.value - c.value)).toBeLessThan(rtol * Math.max(1, Math.abs(c.value)));
  w.grads.forEach((g, i) => expectClose(g, c.grads[i]!, rtol));
};

// A fixed random projection makes each loss depend on every output element differently.
const weighted = (y: tf.Tensor): tf.Scalar => {
  const r = createRng(y.size);
  const w = tf.tensor(
    Float32Array.from({ length: y.size }, () => r.normal()),
    y.shape,
  );
  return tf.sum(tf.mul(y, w));
};

beforeAll(async () => {
  await initTraining({ backend: 'cpu' });
  await initTraining();
});

describe('gradients on wasm match the cpu backend', () => {
  const convCases: [string, number[], number[], number, 'same' | 'valid'][] = [
    ['3x3 stride 1 same', [2, 9, 7, 3], [3, 3, 3, 5], 1, 'same'],
    ['3x3 stride 2 same', [2, 9, 8, 4], [3, 3, 4, 6], 2, 'same'],
    ['3x3 stride 2 valid', [1, 11, 10, 2], [3, 3, 2, 3], 2, 'valid'],
    ['5x5 stride 1 valid', [2, 8, 8, 3], [5, 5, 3, 2], 1, 'valid'],
    ['1x1', [3, 6, 5, 7], [1, 1, 7, 4], 1, 'same'],
    ['4x4 stride 3 same', [1, 10, 10, 2], [4, 4, 2, 3], 3, 'same'],
  ];
  it.each(convCases)('conv2d %s', async (_n, xs, ws, s, pad) => {
    await checkAgainstCpu(
      (x, w) => weighted(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad)),
      [input(xs, 1), input(ws, 2)],
    );
  });

  it('fused conv2d with bias and relu', async () => {
    await checkAgainstCpu(
      (x, w, b) =>
        weighted(
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            strides: 1,
            pad: 'same',
            bias: b,
            activation: 'relu',
          }),
        ),
      [input([2, 6, 6, 3], 3), input([3, 3, 3, 4], 4), input([4], 5)],
    );
  });

  const dwCases: [string, number[], number[], number, 'same' | 'valid'][] = [
    ['3x3 stride 1 same', [2, 7, 9, 4], [3, 3, 4, 1], 1, 'same'],
    ['3x3 stride 2 same', [2, 9, 8, 3], [3, 3, 3, 1], 2, 'same'],
    ['3x3 stride 2 valid', [1, 10, 11, 2], [3, 3, 2, 1], 2, 'valid'],
    ['3x3 multiplier 2', [2, 6, 6, 3], [3, 3, 3, 2], 1, 'same'],
    ['5x5 stride 2 multiplier 3', [1, 9, 9, 2], [5, 5, 2, 3], 2, 'same'],
  ];
  it.each(dwCases)('depthwiseConv2d %s', async (_n, xs, ws, s, pad) => {
    await checkAgainstCpu(
      (x, w) => weighted(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad)),
      [input(xs, 6), input(ws, 7)],
    );
  });

  it('conv1d strided (signal encoders)', async () => {
    await checkAgainstCpu(
      (x, w) => weighted(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 4, 'same')),
      [input([2, 64, 3], 8), input([8, 3, 5], 9)],
    );
  });

  it('matMul and fused matMul with bias and relu', async () => {
    await checkAgainstCpu(
      (a, b, c) =>
        tf.add(
          weighted(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)),
          weighted(tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'relu' })),
        ),
      [input([5, 7], 10), input([7, 3], 11), input([3], 12)],
    );
  });

  it('batch norm with moments (training-mode normalisation)', async () => {
    await checkAgainstCpu(
      (x, g, b) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return weighted(tf.batchNorm(x, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3));
      },
      [input([2, 4, 4, 3], 13), input([3], 14), input([3], 15)],
    );
  });

  it.each([
    ['max 2x2 stride 2 same (asymmetric padding)', (x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'same')],
    ['max 3x3 stride 2 same', (x: tf.Tensor4D) => tf.maxPool(x, 3, 2, 'same')],
    ['max 3x3 stride 1 valid', (x: tf.Tensor4D) => tf.maxPool(x, 3, 1, 'valid')],
    ['average 2x2 stride 2 same', (x: tf.Tensor4D) => tf.avgPool(x, 2, 2, 'same')],
    ['average 3x3 stride 2 valid', (x: tf.Tensor4D) => tf.avgPool(x, 3, 2, 'valid')],
    ['global average', (x: tf.Tensor4D) => tf.mean(x, [1, 2])],
  ] as const)('pooling: %s', async (_n, pool) => {
    await checkAgainstCpu((x) => weighted(pool(x as tf.Tensor4D)), [input([2, 7, 7, 3], 16)]);
  });

  it('activations: relu, relu6, leakyRelu, elu, sigmoid, tanh, softplus', async () => {
    await checkAgainstCpu(
      (x) =>
        tf.addN([
          weighted(tf.relu(x)),
          weighted(tf.relu6(tf.mul(x, 4))),
          weighted(tf.leakyRelu(x, 0.1)),
          weighted(tf.elu(x)),
          weighted(tf.sigmoid(x)),
          weighted(tf.tanh(x)),
          weighted(tf.softplus(x)),
        ]) as tf.Scalar,
      [input([4, 9], 17)],
    );
  });

  it('elementwise math with broadcasting: add, sub, mul, div, exp, log, sqrt, rsqrt, square, abs, pow', async () => {
    await checkAgainstCpu(
      (a, b, p) =>
        tf.addN([
          weighted(tf.add(a, b)),
          weighted(tf.sub(a, b)),
          weighted(tf.mul(a, b)),
          weighted(tf.div(a, p)),
          weighted(tf.exp(tf.mul(a, 0.3))),
          weighted(tf.log(p)),
          weighted(tf.sqrt(p)),
          weighted(tf.rsqrt(p)),
          weighted(tf.square(a)),
          weighted(tf.abs(a)),
          weighted(tf.pow(p, 1.5)),
        ]) as tf.Scalar,
      [input([3, 5], 18), input([5], 19), input([3, 5], 20, true)],
    );
  });

  it('reductions and comparisons: sum, mean, max, maximum, minimum, clipByValue, where', async () => {
    const a0 = input([4, 6], 21);
    const b0 = input([4, 6], 22);
    const mask = tf.tensor(
      a0.data.map((v, i) => (v > b0.data[i]! ? 1 : 0)),
      [4, 6],
      'bool',
    );
    await checkAgainstCpu(
      (a, b) =>
        tf.addN([
          weighted(tf.sum(a, 1)),
          weighted(tf.mean(a, 0)),
          weighted(tf.max(a, 1)),
          weighted(tf.maximum(a, b)),
          weighted(tf.minimum(a, b)),
          weighted(tf.clipByValue(a, -0.5, 0.5)),
          weighted(tf.where(mask, a, tf.mul(b, 2))),
        ]) as tf.Scalar,
      [a0, b0],
    );
    mask.dispose();
  });

  it('softmax, logSoftmax and softmax cross-entropy', async () => {
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 3, 2, 1], 'int32'), 5));
    const y = { shape: [4, 5], data: labels.dataSync() as Float32Array };
    labels.dispose();
    await checkAgainstCpu(
      (z, t) =>
        tf.addN([
          weighted(tf.softmax(z)),
          weighted(tf.logSoftmax(z)),
          tf.losses.softmaxCrossEntropy(t!, z),
        ]) as tf.Scalar,
      [input([4, 5], 23), y],
    );
  });

  // tfjs defines no gradient for stridedSlice: models must not use it.
  it('shape ops: reshape, transpose, concat, slice, pad, tile, squaredDifference', async () => {
    await checkAgainstCpu(
      (a, b) =>
        tf.addN([
          weighted(tf.transpose(tf.reshape(a, [6, 4]))),
          weighted(tf.concat([a, b], 1)),
          weighted(tf.slice(a, [1, 1], [2, 2])),
          weighted(
            tf.pad(a, [
              [1, 0],
              [0, 2],
            ]),
          ),
          weighted(tf.tile(b, [2, 1])),
          weighted(tf.squaredDifference(a, b)),
        ]) as tf.Scalar,
      [input([4, 6], 24), input([4, 6], 25)],
    );
  });

  it('gather (its gradient is UnsortedSegmentSum)', async () => {
    await checkAgainstCpu((a) => weighted(tf.gather(a, tf.tensor1d([2, 0, 2, 4, 1], 'int32'), 0)), [input([5, 3], 26)]);
  });
});

describe('supplied wasm kernels', () => {
  it('unsortedSegmentSum matches cpu, dropping out-of-range ids', async () => {
    const run = async (b: 'wasm' | 'cpu') => {
      await tf.setBackend(b);
      return tf.tidy(() =>
        tf
          .unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), tf.tensor1d([1, 0, 1, 5], 'int32'), 3)
          .dataSync(),
      );
    };
    expect(Array.from(await run('wasm'))).toEqual(Array.from(await run('cpu')));
    expect(Array.from(await run('wasm'))).toEqual([3, 4, 6, 8, 0, 0]);
  });

  it('leak no tensors across repeated gradient computations', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 3]);
    const w = tf.randomNormal([3, 3, 3, 4]);
    const dw = tf.randomNormal([3, 3, 3, 1]);
    const step = () =>
      tf.tidy(() => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.add(
            tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
            tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, c as tf.Tensor4D, 1, 'same')),
          ),
        )([x, w, dw]);
        g.forEach((t) => t.dataSync());
      });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, dw]);
  });
});
