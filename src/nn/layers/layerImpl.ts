/** The uniform shape of a layer: initialise from a spec, apply to a tensor. */
import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/rng.js';
import type { ParamTree } from '../paramTree.js';
import type { LayerSpec } from '../layerSpec.js';
import type { LayerContext } from './layerContext.js';

export interface LayerInit {
  /** Trainable variables. */
  readonly params: ParamTree;
  /** Non-trainable variables (batch-norm running statistics). */
  readonly state: ParamTree;
  /** Output shape without the batch axis. */
  readonly outShape: number[];
}

export interface LayerImpl<S extends LayerSpec> {
  init(spec: S, inShape: readonly number[], rng: Rng): LayerInit;
  apply(spec: S, params: ParamTree, state: ParamTree, x: tf.Tensor, ctx: LayerContext): tf.Tensor;
}
