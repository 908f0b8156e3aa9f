/**
 * Batch normalisation over the last axis, with running statistics for inference. In training it
 * normalises with the batch's moments and moves the running statistics toward them (momentum 0.9);
 * in inference it uses the running statistics, which is what gets folded into the preceding conv.
 */
import * as tf from '@tensorflow/tfjs-core';
import { constantVariable } from '../initializers.js';
import type { LayerContext } from './layerContext.js';

export interface BatchNormParams {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
}
export interface BatchNormState {
  readonly mean: tf.Variable;
  readonly variance: tf.Variable;
}

export const BN_EPSILON = 1e-3;
export const BN_MOMENTUM = 0.9;

export const initBatchNorm = (channels: number): { params: BatchNormParams; state: BatchNormState } => ({
  params: { gamma: constantVariable([channels], 1), beta: constantVariable([channels], 0) },
  state: { mean: constantVariable([channels], 0, false), variance: constantVariable([channels], 1, false) },
});

export const applyBatchNorm = <T extends tf.Tensor>(x: T, p: BatchNormParams, s: BatchNormState, ctx: LayerContext): T => {
  if (!ctx.training) return tf.batchNorm(x, s.mean, s.variance, p.beta, p.gamma, BN_EPSILON) as T;
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  // Running statistics are state, not parameters: the ops updating them lead to no loss, so
  // backpropagation never visits them.
  tf.tidy(() => {
    s.mean.assign(tf.add(tf.mul(s.mean, BN_MOMENTUM), tf.mul(mean, 1 - BN_MOMENTUM)));
    s.variance.assign(tf.add(tf.mul(s.variance, BN_MOMENTUM), tf.mul(variance, 1 - BN_MOMENTUM)));
  });
  // Written with elementwise ops: tfjs's batchNorm gradient tiles its operands, which costs more on wasm.
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPSILON))), p.gamma), p.beta) as T;
};
