/**
 * A model is an encoder (input → feature, the alignment point of distillation) and a head
 * (feature → prediction). Fused models have one encoder per modality and concatenate features.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { NetworkSpec } from './layerSpec.js';
import type { LayerContext } from './layers/layerContext.js';
import { createNetwork, type Network } from './network.js';
import { flattenParams, type ParamTree } from './paramTree.js';

export interface ModelOutput {
  readonly feature: tf.Tensor2D;
  readonly output: tf.Tensor2D;
}

export interface Model {
  readonly name: string;
  /** One encoder per input modality, in input order. */
  readonly encoders: readonly Network[];
  readonly head: Network;
  /** All trainable variables (encoders, then head). */
  readonly variables: tf.Variable[];
  /** The parameter tree `{ encoder0: …, head: … }` (for priors and saving). */
  readonly params: ParamTree;
  readonly state: ParamTree;
  readonly featureDim: number;
  readonly paramCount: number;
  forward(inputs: readonly tf.Tensor[], ctx: LayerContext): ModelOutput;
  dispose(): void;
}

/**
 * Builds a model from encoder specs and a head spec whose input is the concatenated feature.
 * Every encoder must end in a flat feature vector.
 */
export const createModel = (
  name: string,
  encoderSpecs: readonly NetworkSpec[],
  head: (featureDim: number) => NetworkSpec,
  rng: Rng,
): Model => {
  if (encoderSpecs.length === 0) throw kapriError('InvalidConfig', `model '${name}' needs at least one encoder`);
  const encoders = encoderSpecs.map((s, i) => createNetwork(s, rng.fork(`encoder${i}`)));
  for (const e of encoders) {
    if (e.outShape.length !== 1)
      throw kapriError(
        'InvalidShape',
        `encoder '${e.spec.name}' must end in a flat feature (add globalAvgPool), got [${e.outShape.join(', ')}]`,
      );
  }
  const featureDim = encoders.reduce((a, e) => a + e.outShape[0]!, 0);
  const h = createNetwork(head(featureDim), rng.fork('head'));
  const params: Record<string, ParamTree> = { head: h.params };
  const state: Record<string, ParamTree> = { head: h.state };
  encoders.forEach((e, i) => {
    params[`encoder${i}`] = e.params;
    state[`encoder${i}`] = e.state;
  });
  return {
    name,
    encoders,
    head: h,
    variables: [...encoders.flatMap((e) => e.variables), ...h.variables],
    params,
    state,
    featureDim,
    paramCount: encoders.reduce((a, e) => a + e.paramCount, h.paramCount),
    forward(inputs, ctx) {
      if (inputs.length !== encoders.length)
        throw kapriError('InvalidArgument', `model '${name}' takes ${encoders.length} inputs, got ${inputs.length}`);
      const feats = encoders.map((e, i) => e.apply(inputs[i]!, ctx) as tf.Tensor2D);
      const feature = feats.length === 1 ? feats[0]! : (tf.concat(feats, 1) as tf.Tensor2D);
      return { feature, output: h.apply(feature, ctx) as tf.Tensor2D };
    },
    dispose() {
      encoders.forEach((e) => e.dispose());
      h.dispose();
    },
  };
};

/** The model's non-trainable variables (batch-norm running statistics), for `trainLoop`'s `state`. */
export const stateVariables = (m: Model): tf.Variable[] => flattenParams(m.state).map(([, v]) => v);

/** Copies every parameter and state variable of `from` into `to` (same architecture). */
export const copyWeights = (from: Model, to: Model): void => {
  const src = [...flattenParams(from.params), ...flattenParams(from.state)];
  const dst = [...flattenParams(to.params), ...flattenParams(to.state)];
  if (src.length !== dst.length || src.some(([p, v], i) => p !== dst[i]![0] || v.size !== dst[i]![1].size)) {
    throw kapriError(
      'InvalidShape',
      `cannot copy weights of '${from.name}' into '${to.name}': the architectures differ`,
    );
  }
  dst.forEach(([, v], i) => v.assign(src[i]![1]));
};

/** A copy of a model's parameters and batch-norm statistics that can be put back. */
export interface ModelSnapshot {
  /** Puts every parameter and statistic back to the snapshot's values. */
  restore(): void;
  dispose(): void;
}

/**
 * Snapshots every parameter and state variable of `m` (training-mode forward passes move the
 * batch-norm statistics too, so a caller that must hand the model back unchanged restores both).
 */
export const snapshotModel = (m: Model): ModelSnapshot => {
  const vars = [...m.variables, ...stateVariables(m)];
  const saved = vars.map((v) => tf.clone(v));
  return {
    restore: () => vars.forEach((v, i) => v.assign(saved[i]!)),
    dispose: () => tf.dispose(saved),
  };
};
