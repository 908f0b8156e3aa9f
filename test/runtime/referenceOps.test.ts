/**
 * The reference int8 ops agree with tfjs's float ops on the dequantized tensors to within one output
 * code (the quantization bound: float rounding of the requantization may move a tie by one).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import {
  refAdd,
  refAvgPool,
  refConv2d,
  refDense,
  refDepthwise3x3,
  refGlobalAvgPool,
  refMaxPool,
} from '../../src/runtime/referenceOps.js';
import { refQuantizeF32 } from '../../src/kernels/reference/qs8Quantize.js';
import type { TensorQuant } from '../../src/runtime/qmodelTypes.js';

beforeAll(async () => {
  await initTraining();
});

const rng = createRng(77);
const i8 = (n: number, lo = -128, hi = 127) => Int8Array.from({ length: n }, () => lo + rng.int(hi - lo + 1));
const deq = (q: Int8Array, s: number, zp: number) => Float32Array.from(q, (v) => (v - zp) * s);
/**
 * The int8 result against the float result `want` quantized with `q`: within one code everywhere,
 * and rarely off at all. A code may differ where the float value sits on a rounding tie (x.5 codes:
 * averages of integers land there, and conventions for ties differ); elsewhere float rounding may move
 * a value near a boundary, so at most 2% of codes (at least one) may differ. A systematic off-by-one
 * (every code one too high) fails.
 */
const expectWithinOneCode = (got: Int8Array, want: Float32Array, q: TensorQuant): void => {
  const codes = refQuantizeF32(want, q.scale, q.zeroPoint);
  expect(got.length).toBe(codes.length);
  let off = 0;
  got.forEach((v, i) => {
    const d = Math.abs(v - codes[i]!);
    expect(d).toBeLessThanOrEqual(1);
    const real = want[i]! / q.scale + q.zeroPoint;
    const tie = Math.abs(real - Math.floor(real) - 0.5) < 1e-3;
    if (d !== 0 && !tie) off++;
  });
  expect(off).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.02 * got.length)));
};
const maxCodeDiff = (a: Int8Array, b: Int8Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

const xq: TensorQuant = { scale: 0.03, zeroPoint: -5 };
const yq: TensorQuant = { scale: 0.2, zeroPoint: 10 };

describe.each([
  ['3x3 same stride 1', [7, 9, 5], [3, 3], [1, 1], 'same'],
  ['3x3 same stride 2 (odd size)', [9, 7, 4], [3, 3], [2, 2], 'same'],
  ['5x5 valid stride 2', [11, 10, 3], [5, 5], [2, 2], 'valid'],
  ['1x1', [4, 4, 17], [1, 1], [1, 1], 'same'],
  ['1x8 stride 4 (signals)', [1, 64, 3], [1, 8], [1, 4], 'same'],
] as const)('refConv2d %s', (_n, inShape, kernel, stride, padding) => {
  it('matches the float conv of the dequantized tensors within one code', () => {
    const cout = 6;
    const x = i8(inShape[0] * inShape[1] * inShape[2]);
    const w = i8(kernel[0] * kernel[1] * inShape[2] * cout, -127, 127);
    const scales = Float32Array.from({ length: cout }, () => 0.002 + rng.uniform() * 0.01);
    const bias = Int32Array.from({ length: cout }, () => rng.int(4000) - 2000);
    const got = refConv2d({ x, inShape, xq, w, kernel, stride, padding, cout, scales, bias, yq, activation: 'relu' });
    const want = tf.tidy(() => {
      const xf = tf.tensor4d(deq(x, xq.scale, xq.zeroPoint), [1, ...inShape]);
      const wf = tf.tensor4d(
        Float32Array.from(w, (v, i) => v * scales[i % cout]!),
        [kernel[0], kernel[1], inShape[2], cout],
      );
      const bf = tf.tensor1d(Float32Array.from(bias, (b, o) => b * xq.scale * scales[o]!));
      return tf.relu(tf.add(tf.conv2d(xf, wf, stride as [number, number], padding), bf)).dataSync() as Float32Array;
    });
    expect(got.length).toBe(want.length);
    expectWithinOneCode(got, want, yq);
  });
});

describe('other reference ops', () => {
  it('depthwise 3×3 stride 2 matches tfjs within one code', () => {
    const inShape = [9, 8, 5] as const;
    const x = i8(9 * 8 * 5);
    const w = i8(9 * 5, -127, 127);
    const scales = Float32Array.from({ length: 5 }, () => 0.005 + rng.uniform() * 0.01);
    const bias = Int32Array.from({ length: 5 }, () => rng.int(400) - 200);
    const got = refDepthwise3x3({ x, inShape, xq, w, stride: [2, 2], scales, bias, yq, activation: 'none' });
    const want = tf.tidy(() => {
      const xf = tf.tensor4d(deq(x, xq.scale, xq.zeroPoint), [1, ...inShape]);
      const wf = tf.tensor4d(
        Float32Array.from(w, (v, i) => v * scales[i % 5]!),
        [3, 3, 5, 1],
      );
      return tf
        .add(
          tf.depthwiseConv2d(xf, wf, 2, 'same'),
          Float32Array.from(bias, (b, o) => b * xq.scale * scales[o]!),
        )
        .dataSync() as Float32Array;
    });
    expectWithinOneCode(got, want, yq);
  });

  it('dense with relu6 matches tfjs within one code, and relu6 clamps at 6', () => {
    const x = i8(37);
    const w = i8(37 * 11, -127, 127);
    const scales = Float32Array.from({ length: 11 }, () => 0.01);
    const bias = new Int32Array(11);
    const q: TensorQuant = { scale: 0.05, zeroPoint: -128 };
    const got = refDense(x, xq, w, 11, scales, bias, q, 'relu6');
    const want = tf.tidy(
      () =>
        tf
          .relu6(
            tf.matMul(
              tf.tensor2d(deq(x, xq.scale, xq.zeroPoint), [1, 37]),
              tf.tensor2d(
                Float32Array.from(w, (v) => v * 0.01),
                [37, 11],
              ),
            ),
          )
          .dataSync() as Float32Array,
    );
    expectWithinOneCode(got, want, q);
    got.forEach((v) => expect((v - q.zeroPoint) * q.scale).toBeLessThanOrEqual(6 + 1e-6));
  });

  it('average and max pooling match tfjs on an odd size with same padding', () => {
    const inShape = [7, 7, 3] as const;
    const x = i8(7 * 7 * 3);
    const xf = () => tf.tensor4d(deq(x, xq.scale, xq.zeroPoint), [1, ...inShape]);
    const avg = refAvgPool(x, inShape, xq, [2, 2], [2, 2], 'same', xq);
    const wantAvg = tf.tidy(() => tf.avgPool(xf(), 2, 2, 'same').dataSync() as Float32Array);
    expectWithinOneCode(avg, wantAvg, xq);
    const mx = refMaxPool(x, inShape, [3, 3], [2, 2], 'same');
    const wantMax = tf.tidy(() => tf.maxPool(xf(), 3, 2, 'same').dataSync() as Float32Array);
    expect(maxCodeDiff(mx, refQuantizeF32(wantMax, xq.scale, xq.zeroPoint))).toBe(0);
  });

  it('global average pooling and requantized add match float arithmetic within one code', () => {
    const x = i8(5 * 4 * 6);
    const g = refGlobalAvgPool(x, [5, 4, 6], xq, yq);
    const xs = deq(x, xq.scale, xq.zeroPoint);
    const mean = Float32Array.from(
      { length: 6 },
      (_, c) => Array.from({ length: 20 }, (_, p) => xs[p * 6 + c]!).reduce((a, b) => a + b, 0) / 20,
    );
    expectWithinOneCode(g, mean, yq);
    const a = i8(50);
    const b = i8(50);
    const bq: TensorQuant = { scale: 0.07, zeroPoint: 3 };
    const sum = refAdd(a, xq, b, bq, yq, 'relu');
    const want = Float32Array.from({ length: 50 }, (_, i) =>
      Math.max(0, (a[i]! - xq.zeroPoint) * xq.scale + (b[i]! - bq.zeroPoint) * bq.scale),
    );
    expectWithinOneCode(sum, want, yq);
  });
});
