/**
 * Conv2DBackpropFilter for the wasm backend, which lacks it. The filter gradient is itself a
 * convolution: with the batch as channels,
 *   dW[i, j, c, o] = Σ_{b, p, q} x_pad[b, p·s + i, q·s + j, c] · dy[b, p, q, o]
 * is conv2d(x′ = xᵀ[c, h, w, b], dy′ = dy[p, q, b, o], dilation s) over the padded input, so the
 * work runs on wasm's fast convolution (the cpu kernel is a scalar JS loop).
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';
import { convInfo, convPadded } from './convGeometry.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

const nhwc = (t: tf.Tensor4D, format: Attrs['dataFormat']): tf.Tensor4D =>
  format === 'NCHW' ? tf.transpose(t, [0, 2, 3, 1]) : t;

/** The filter gradient of an NHWC (or NCHW) conv2d with dilation 1 (what tfjs's conv2d gradient passes). */
export const conv2dFilterGradient = (x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Attrs): tf.Tensor4D => {
  const xs = nhwc(x, attrs.dataFormat);
  const dys = nhwc(dy, attrs.dataFormat);
  const [kh, kw] = attrs.filterShape;
  const info = convInfo(xs.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  const { top, left } = info.padInfo;
  // Rows the last output window ends on: exactly kh (kw) output taps after padding or cropping.
  const bottom = kh + (info.outHeight - 1) * info.strideHeight - info.inHeight - top;
  const right = kw + (info.outWidth - 1) * info.strideWidth - info.inWidth - left;
  // Transposed first, then padded inside the convolution: padding commutes with the transpose.
  const xT = tf.transpose(xs, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyT = tf.transpose(dys, [1, 2, 0, 3]) as tf.Tensor4D;
  const g = convPadded(xT, dyT, { top, bottom, left, right }, [info.strideHeight, info.strideWidth]);
  return tf.transpose(g, [1, 2, 0, 3]);
};

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) =>
    conv2dFilterGradient(t['x'] as tf.Tensor4D, t['dy'] as tf.Tensor4D, a),
  ) as unknown as tf.KernelFunc,
};
