/**
 * MaxPoolGrad for the wasm backend. tfjs-backend-wasm 4.22's own kernel is wrong when 'same'
 * padding is asymmetric (e.g. a 2×2/2 pool over an odd size): measured against the cpu backend,
 * test/backend/gradients.test.ts. For each tap of the window, positions equal to the pooled max
 * that no earlier tap claimed receive dy (the first maximum in row-major order wins, as on cpu),
 * and the per-tap contributions are scattered back to the input grid.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';
import { convInfo, padForWindows, padOrCrop, tapSlice, zeroStuff } from './convGeometry.js';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** dx of y = maxPool(x) given dy, x and y (NHWC). */
export const maxPoolGradient = (dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, attrs: Attrs): tf.Tensor4D => {
  const [fh, fw] = typeof attrs.filterSize === 'number' ? [attrs.filterSize, attrs.filterSize] : attrs.filterSize;
  const c = x.shape[3];
  const info = convInfo(x.shape, [fh, fw, c, c], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, true);
  // Pad with −∞ so that padding never wins the max.
  const { top, left } = info.padInfo;
  const xpInf = padForWindows(x, info, -Infinity);
  let taken = tf.zerosLike(y);
  const parts: tf.Tensor4D[] = [];
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const hit = tf.mul(tf.cast(tf.equal(tapSlice(xpInf, info, i, j), y), 'float32'), tf.sub(1, taken));
      taken = tf.add(taken, hit);
      const stuffed = zeroStuff(tf.mul(dy, hit) as tf.Tensor4D, info.strideHeight, info.strideWidth);
      const t = i - top;
      const l = j - left;
      parts.push(padOrCrop(stuffed, t, info.inHeight - t - stuffed.shape[1], l, info.inWidth - l - stuffed.shape[2]));
    }
  }
  return tf.addN(parts);
};

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) =>
    maxPoolGradient(t['dy'] as tf.Tensor4D, t['input'] as tf.Tensor4D, t['output'] as tf.Tensor4D, a),
  ) as unknown as tf.KernelFunc,
};
