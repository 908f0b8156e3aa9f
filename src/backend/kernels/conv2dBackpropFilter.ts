/**
 * Conv2DBackpropFilter for the wasm backend, which lacks it. For each kernel tap (kh, kw) the filter
 * gradient is a matrix product of the input window seen by that tap and dy:
 *   dW[kh, kw] = X_tapᵀ · dY, with X_tap: [B·outH·outW, Cin] and dY: [B·outH·outW, Cout],
 * so the work runs on wasm's fast matMul (the cpu kernel is a scalar JS loop).
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';
import { convInfo, padForWindows, tapSlice } from './convGeometry.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

const nhwc = (t: tf.Tensor4D, format: Attrs['dataFormat']): tf.Tensor4D => (format === 'NCHW' ? tf.transpose(t, [0, 2, 3, 1]) : t);

/** The filter gradient of an NHWC (or NCHW) conv2d with dilation 1 (what tfjs's conv2d gradient passes). */
export const conv2dFilterGradient = (x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Attrs): tf.Tensor4D => {
  const xs = nhwc(x, attrs.dataFormat);
  const dys = nhwc(dy, attrs.dataFormat);
  const [kh, kw, cin, cout] = attrs.filterShape;
  const info = convInfo(xs.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  const xp = padForWindows(xs, info);
  const n = info.batchSize * info.outHeight * info.outWidth;
  const dy2 = tf.reshape(dys, [n, cout]);
  const taps: tf.Tensor2D[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const xt = tf.reshape(tapSlice(xp, info, i, j), [n, cin]);
      taps.push(tf.matMul(xt, dy2, true, false));
    }
  }
  return tf.reshape(tf.stack(taps), [kh, kw, cin, cout]);
};

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) => conv2dFilterGradient(t['x'] as tf.Tensor4D, t['dy'] as tf.Tensor4D, a)) as unknown as tf.KernelFunc,
};
