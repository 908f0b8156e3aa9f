/**
 * The conv → (batch norm) → activation pattern shared by conv2d, depthwise and conv1d: a bias when
 * there is no batch norm (with batch norm the bias is redundant: beta plays its part).
 */
import * as tf from '@tensorflow/tfjs-core';
import { constantVariable } from '../initializers.js';
import type { Activation } from '../layerSpec.js';
import type { ParamTree } from '../paramTree.js';
import { activate } from './activation.js';
import { applyBatchNorm, initBatchNorm, type BatchNormParams, type BatchNormState } from './batchNorm.js';
import type { LayerContext } from './layerContext.js';

/** Params and state of the normalisation/bias part for `channels` outputs. */
export const initNormalization = (channels: number, batchNorm: boolean): { params: ParamTree; state: ParamTree } => {
  if (!batchNorm) return { params: { b: constantVariable([channels], 0) }, state: {} };
  const bn = initBatchNorm(channels);
  return { params: { bn: bn.params as unknown as ParamTree }, state: { bn: bn.state as unknown as ParamTree } };
};

/** Adds the bias or applies batch norm, then the activation. */
export const normalizeAndActivate = <T extends tf.Tensor>(
  y: T,
  params: ParamTree,
  state: ParamTree,
  activation: Activation | undefined,
  ctx: LayerContext,
): T => {
  const bn = params['bn'] as unknown as BatchNormParams | undefined;
  const z = bn
    ? applyBatchNorm(y, bn, state['bn'] as unknown as BatchNormState, ctx)
    : (tf.add(y, params['b'] as tf.Variable) as T);
  return activate(z, activation);
};
