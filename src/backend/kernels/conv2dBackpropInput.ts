/**
 * Conv2DBackpropInput on wasm's fast forward convolution. wasm has this kernel, but it is correct and
 * slow: it took 65 ms of a 140 ms training step of the default student (profiled with tf.profile).
 * The input gradient is a convolution of the zero-stuffed, padded dy with the spatially reversed
 * filter whose in/out channels are swapped: dx = conv(pad(stuff(dy)), rot180(W)ᵀ), stride 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';
import { convInfo, padOrCrop, zeroStuff } from './convGeometry.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** dx of y = conv2d(x, filter) (dilation 1) given dy. */
export const conv2dInputGradient = (dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Attrs): tf.Tensor4D => {
  const nchw = attrs.dataFormat === 'NCHW';
  const dyN = nchw ? (tf.transpose(dy, [0, 2, 3, 1]) as tf.Tensor4D) : dy;
  const inShape = nchw ? ([attrs.inputShape[0], attrs.inputShape[2], attrs.inputShape[3], attrs.inputShape[1]] as [number, number, number, number]) : attrs.inputShape;
  const [kh, kw] = filter.shape;
  const info = convInfo(inShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  const stuffed = zeroStuff(dyN, info.strideHeight, info.strideWidth);
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const padded = padOrCrop(stuffed, top, info.inHeight + kh - 1 - top - stuffed.shape[1], left, info.inWidth + kw - 1 - left - stuffed.shape[2]);
  const w = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const dx = tf.conv2d(padded, w, 1, 'valid');
  return nchw ? (tf.transpose(dx, [0, 3, 1, 2]) as tf.Tensor4D) : dx;
};

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) => conv2dInputGradient(t['dy'] as tf.Tensor4D, t['filter'] as tf.Tensor4D, a)) as unknown as tf.KernelFunc,
};
