/**
 * The int8 conv agrees with tfjs's float conv of the dequantized tensors within the quantization
 * bound: the accumulation is exact on both sides (up to float32 rounding in tfjs), so the only
 * difference is the output rounding, at most half an output step (plus tfjs's float error).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { qs8Conv2d } from '../../src/kernels/qs8Conv.js';
import { requantMultiplier } from '../../src/kernels/reference/requantize.js';

beforeAll(async () => {
  await initTraining({ backend: 'wasm' });
});

const CASES = [
  { inShape: [2, 9, 7, 13], kernel: [3, 3], stride: [1, 1], padding: 'same', cout: 11 },
  { inShape: [1, 12, 12, 32], kernel: [3, 3], stride: [2, 2], padding: 'same', cout: 24 },
  { inShape: [3, 6, 6, 20], kernel: [1, 1], stride: [1, 1], padding: 'valid', cout: 17 },
  { inShape: [1, 10, 8, 5], kernel: [5, 3], stride: [1, 2], padding: 'valid', cout: 7 },
] as const;

describe('int8 conv vs tfjs float conv of the dequantized tensors', () => {
  it.each(CASES)('%o stays within half an output step', async (c) => {
    const k = await loadKernels({ build: 'simd' });
    const rng = createRng(c.cout);
    const [n, h, w, cin] = c.inShape;
    const [kh, kw] = c.kernel;
    const sx = 0.05;
    const zx = -7;
    const sy = 0.2;
    const zy = 4;
    const sw = Float32Array.from({ length: c.cout }, () => Math.fround(0.002 + 0.004 * rng.uniform()));
    const x = Int8Array.from({ length: n * h * w * cin }, () => rng.int(256) - 128);
    const wq = Int8Array.from({ length: kh * kw * cin * c.cout }, () => rng.int(255) - 127);
    const bias = Int32Array.from({ length: c.cout }, () => rng.int(4001) - 2000);
    const y = qs8Conv2d(k, x, {
      inShape: c.inShape,
      kernel: c.kernel,
      stride: c.stride,
      dilation: [1, 1],
      padding: c.padding,
      cout: c.cout,
      weights: wq,
      bias,
      multipliers: Float32Array.from(sw, (s) => requantMultiplier(sx, s, sy)),
      xZeroPoint: zx,
      yZeroPoint: zy,
    });
    const yf = tf.tidy(() => {
      const xf = tf.mul(tf.sub(tf.tensor4d(Float32Array.from(x), [n, h, w, cin]), zx), sx);
      const wf = tf.mul(tf.tensor4d(Float32Array.from(wq), [kh, kw, cin, c.cout]), tf.tensor1d(sw));
      const bf = tf.mul(tf.tensor1d(Float32Array.from(bias)), tf.mul(tf.tensor1d(sw), sx));
      return tf
        .add(tf.conv2d(xf as tf.Tensor4D, wf as tf.Tensor4D, c.stride as [number, number], c.padding), bf)
        .dataSync() as Float32Array;
    });
    expect(yf.length).toBe(y.length);
    let inRange = 0;
    for (let i = 0; i < y.length; i++) {
      const deq = sy * (y[i]! - zy);
      const clamped = Math.min(Math.max(yf[i]!, sy * (-128 - zy)), sy * (127 - zy));
      if (clamped === yf[i]) inRange++;
      expect(Math.abs(deq - clamped)).toBeLessThanOrEqual(0.5 * sy + 1e-4 * (1 + Math.abs(yf[i]!)));
    }
    // most outputs are inside the int8 range, so the bound is exercised, not just the clamps
    expect(inRange / y.length).toBeGreaterThan(0.8);
  });
});
