/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend: for each tap (kh, kw),
 *   dW[kh, kw, c, m] = Σ_{b, oh, ow} X_tap[b, oh, ow, c] · dY[b, oh, ow, c·M + m],
 * an elementwise product and a reduction over the batch and spatial positions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';
import { convInfo, padForWindows, tapSlice } from './convGeometry.js';

interface Attrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** dW of y = depthwiseConv2d(x, filter) given x and dy (NHWC). */
export const depthwiseFilterGradient = (x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Attrs): tf.Tensor4D => {
  const [kh, kw, c, m] = attrs.filterShape;
  const info = convInfo(
    x.shape,
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const xp = padForWindows(x, info);
  const n = info.batchSize * info.outHeight * info.outWidth;
  const dy3 = tf.reshape(dy, [n, c, m]);
  const taps: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const xt = tf.reshape(tapSlice(xp, info, i, j), [n, c, 1]);
      taps.push(tf.sum(tf.mul(xt, dy3), 0));
    }
  }
  return tf.reshape(tf.stack(taps), [kh, kw, c, m]);
};

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) =>
    depthwiseFilterGradient(t['x'] as tf.Tensor4D, t['dy'] as tf.Tensor4D, a),
  ) as unknown as tf.KernelFunc,
};
