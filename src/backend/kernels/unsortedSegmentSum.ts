/**
 * UnsortedSegmentSum for the wasm backend (the gradient of gather needs it): a one-hot matrix of the
 * segment ids times the data, so the scatter-add runs as one matMul. Ids outside [0, numSegments)
 * select no segment and are dropped, as in TensorFlow.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernel } from './composeKernel.js';

interface Attrs {
  numSegments: number;
}

/** out[s, ...] = Σ_{i: ids[i] = s} x[i, ...]. */
export const unsortedSegmentSum = (x: tf.Tensor, ids: tf.Tensor, numSegments: number): tf.Tensor => {
  const lead = ids.size;
  const rest = x.shape.slice(ids.rank);
  const restSize = rest.reduce((a, b) => a * b, 1);
  // wasm's OneHot writes int32 whatever dtype is asked for, so cast explicitly.
  const oneHot = tf.cast(tf.oneHot(tf.reshape(ids, [lead]) as tf.Tensor1D, numSegments), 'float32');
  const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  const out = tf.matMul(oneHot, tf.reshape(xf, [lead, restSize]), true, false);
  const shaped = tf.reshape(out, [numSegments, ...rest]);
  return x.dtype === 'float32' ? shaped : tf.cast(shaped, x.dtype);
};

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: composeKernel<Attrs>((t, a) =>
    unsortedSegmentSum(t['x']!, t['segmentIds']!, a.numSegments),
  ) as unknown as tf.KernelFunc,
};
