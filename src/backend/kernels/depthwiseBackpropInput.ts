/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend. The input gradient of a depthwise conv is
 * a depthwise conv of the zero-stuffed, padded dy with the spatially reversed filter (stride 1, same
 * dilation). With a channel multiplier M, dy's C·M channels are convolved one by one and the M
 * contributions of each input channel summed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';
import { convInfo, padOrCrop, zeroStuff } from './convGeometry.js';

interface Attrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** dx of y = depthwiseConv2d(x, filter) given dy (NHWC). */
export const depthwiseInputGradient = (dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Attrs): tf.Tensor4D => {
  const [kh, kw, c, m] = filter.shape;
  const info = convInfo(
    attrs.inputShape,
    filter.shape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const stuffed = zeroStuff(dy, info.strideHeight, info.strideWidth);
  const effH = info.effectiveFilterHeight;
  const effW = info.effectiveFilterWidth;
  const top = effH - 1 - info.padInfo.top;
  const left = effW - 1 - info.padInfo.left;
  const bottom = info.inHeight + effH - 1 - top - stuffed.shape[1];
  const right = info.inWidth + effW - 1 - left - stuffed.shape[2];
  const padded = padOrCrop(stuffed, top, bottom, left, right);
  const rot = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
  const dxAll = tf.depthwiseConv2d(padded, rot, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
  if (m === 1) return dxAll;
  const [b, h, w] = dxAll.shape;
  return tf.sum(tf.reshape(dxAll, [b, h, w, c, m]), 4) as tf.Tensor4D;
};

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) =>
    depthwiseInputGradient(t['dy'] as tf.Tensor4D, t['filter'] as tf.Tensor4D, a),
  ) as unknown as tf.KernelFunc,
};
