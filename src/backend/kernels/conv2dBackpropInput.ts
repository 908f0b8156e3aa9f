/**
 * Conv2DBackpropInput on wasm's fast forward convolution. wasm has this kernel, but it is correct and
 * slow: it took 65 ms of a 140 ms training step of the default student (profiled with tf.profile).
 * The input gradient is a convolution of the zero-stuffed, padded dy with the spatially reversed
 * filter whose in/out channels are swapped: dx = conv(pad(stuff(dy)), rot180(W)ᵀ), stride 1. The
 * padding is the convolution's own, and the small filter is flipped in JavaScript: as tfjs ops the
 * pad, crop and reverse took 6 of the 15 ms that input gradients cost per step of the default student.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';
import { convInfo, convPadded, zeroStuff } from './convGeometry.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** rot180(W) with in/out channels swapped: [kh, kw, ci, co] → [kh, kw, co, ci]. */
export const flipFilter = (filter: tf.Tensor4D): tf.Tensor4D => {
  const [kh, kw, ci, co] = filter.shape;
  const src = filter.dataSync();
  const out = new Float32Array(src.length);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * kw + j) * ci * co;
      const to = ((kh - 1 - i) * kw + (kw - 1 - j)) * co * ci;
      for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) out[to + o * ci + c] = src[from + c * co + o]!;
    }
  }
  return tf.tensor4d(out, [kh, kw, co, ci]);
};

/** dx of y = conv2d(x, filter) (dilation 1) given dy. */
export const conv2dInputGradient = (dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Attrs): tf.Tensor4D => {
  const nchw = attrs.dataFormat === 'NCHW';
  const dyN = nchw ? (tf.transpose(dy, [0, 2, 3, 1]) as tf.Tensor4D) : dy;
  const inShape = nchw
    ? ([attrs.inputShape[0], attrs.inputShape[2], attrs.inputShape[3], attrs.inputShape[1]] as [
        number,
        number,
        number,
        number,
      ])
    : attrs.inputShape;
  const [kh, kw] = filter.shape;
  const info = convInfo(inShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  const stuffed = zeroStuff(dyN, info.strideHeight, info.strideWidth);
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = info.inHeight + kh - 1 - top - stuffed.shape[1];
  const right = info.inWidth + kw - 1 - left - stuffed.shape[2];
  const dx = convPadded(stuffed, flipFilter(filter), { top, bottom, left, right });
  return nchw ? (tf.transpose(dx, [0, 3, 1, 2]) as tf.Tensor4D) : dx;
};

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) =>
    conv2dInputGradient(t['dy'] as tf.Tensor4D, t['filter'] as tf.Tensor4D, a),
  ) as unknown as tf.KernelFunc,
};
