/**
 * A network: a spec plus its variables. `apply` is a pure function of the input (and, in training,
 * updates batch-norm running statistics).
 *
 * @example
 * const net = createNetwork(imageEncoderSpec({ width: 16 }), createRng(0));
 * const feature = tf.tidy(() => net.apply(x, { training: false }));
 */
import type * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { NetworkSpec } from './layerSpec.js';
import { countParams, disposeParams, flattenParams, type ParamTree } from './paramTree.js';
import type { LayerContext } from './layers/layerContext.js';
import { applySequence, initSequence } from './sequence.js';

export interface Network {
  readonly spec: NetworkSpec;
  readonly params: ParamTree;
  readonly state: ParamTree;
  readonly outShape: readonly number[];
  /** Trainable variables in a stable order. */
  readonly variables: tf.Variable[];
  apply(x: tf.Tensor, ctx: LayerContext): tf.Tensor;
  /** The output and the outputs of the named layers. */
  applyWithTaps(x: tf.Tensor, ctx: LayerContext): { out: tf.Tensor; taps: Map<string, tf.Tensor> };
  readonly paramCount: number;
  dispose(): void;
}

const checkInput = (spec: NetworkSpec, x: tf.Tensor): void => {
  const ok = x.rank === spec.inputShape.length + 1 && spec.inputShape.every((d, i) => d === x.shape[i + 1]);
  if (!ok)
    throw kapriError(
      'InvalidShape',
      `network '${spec.name}' expects [batch, ${spec.inputShape.join(', ')}], got [${x.shape.join(', ')}]`,
    );
};

/** Creates the variables of a network from its spec; a seed fixes every initial weight. */
export const createNetwork = (spec: NetworkSpec, rng: Rng): Network => {
  const init = initSequence(spec.layers, spec.inputShape, rng);
  return {
    spec,
    params: init.params,
    state: init.state,
    outShape: init.outShape,
    variables: flattenParams(init.params).map(([, v]) => v),
    paramCount: countParams(init.params),
    apply(x, ctx) {
      checkInput(spec, x);
      return applySequence(spec.layers, init.params, init.state, x, ctx);
    },
    applyWithTaps(x, ctx) {
      checkInput(spec, x);
      const taps = new Map<string, tf.Tensor>();
      const out = applySequence(spec.layers, init.params, init.state, x, ctx, taps);
      return { out, taps };
    },
    dispose() {
      disposeParams(init.params);
      disposeParams(init.state);
    },
  };
};
