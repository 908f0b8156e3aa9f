/**
 * Initialising and applying a sequence of layer specs, including residual blocks (whose body is a
 * sequence itself). Parameters are keyed by layer name; layer names must be unique in a network.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { heNormal } from './initializers.js';
import type { LayerSpec, ResidualSpec } from './layerSpec.js';
import type { ParamTree } from './paramTree.js';
import { activate } from './layers/activation.js';
import { conv1dLayer } from './layers/conv1d.js';
import { conv2dLayer } from './layers/conv2d.js';
import { denseLayer } from './layers/dense.js';
import { depthwiseLayer } from './layers/depthwise.js';
import type { LayerContext } from './layers/layerContext.js';
import type { LayerImpl, LayerInit } from './layers/layerImpl.js';
import { flattenLayer, globalAvgPoolLayer, poolLayer } from './layers/pooling.js';

type Impls = { [K in Exclude<LayerSpec['kind'], 'residual'>]: LayerImpl<Extract<LayerSpec, { kind: K }>> };
const IMPLS: Impls = {
  conv2d: conv2dLayer,
  depthwise: depthwiseLayer,
  conv1d: conv1dLayer,
  dense: denseLayer,
  maxPool: poolLayer,
  avgPool: poolLayer,
  globalAvgPool: globalAvgPoolLayer,
  flatten: flattenLayer,
};

const implOf = (spec: LayerSpec): LayerImpl<LayerSpec> =>
  IMPLS[spec.kind as keyof Impls] as unknown as LayerImpl<LayerSpec>;
const nameOf = (spec: LayerSpec): string | null => ('name' in spec ? spec.name : null);

export interface SequenceInit {
  readonly params: ParamTree;
  readonly state: ParamTree;
  readonly outShape: number[];
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

const initResidual = (spec: ResidualSpec, inShape: readonly number[], rng: Rng): LayerInit => {
  const body = initSequence(spec.body, inShape, rng);
  const params: Record<string, ParamTree | tf.Variable> = { body: body.params };
  if (!sameShape(body.outShape, inShape)) {
    if (inShape.length !== 3 || body.outShape.length !== 3) {
      throw kapriError(
        'InvalidShape',
        `residual '${spec.name}': a shortcut from [${inShape.join(', ')}] to [${body.outShape.join(', ')}] needs 2-D feature maps`,
      );
    }
    const stride = inShape[0]! / body.outShape[0]!;
    if (!Number.isInteger(stride) || stride !== Math.ceil(inShape[1]! / body.outShape[1]!)) {
      throw kapriError(
        'InvalidShape',
        `residual '${spec.name}': the body changes the spatial size by a non-integer factor`,
      );
    }
    params['shortcut'] = heNormal(rng, [1, 1, inShape[2]!, body.outShape[2]!], inShape[2]!);
  }
  return { params, state: { body: body.state }, outShape: body.outShape };
};

/** With taps, the body's layers are recorded as `name/inner` and the projection as `name/shortcut`. */
const applyResidual = (
  spec: ResidualSpec,
  params: ParamTree,
  state: ParamTree,
  x: tf.Tensor,
  ctx: LayerContext,
  taps?: Map<string, tf.Tensor>,
): tf.Tensor => {
  const inner = taps ? new Map<string, tf.Tensor>() : undefined;
  const y = applySequence(spec.body, params['body'] as ParamTree, state['body'] as ParamTree, x, ctx, inner);
  if (taps && inner) for (const [k, v] of inner) taps.set(`${spec.name}/${k}`, v);
  const w = params['shortcut'] as tf.Variable | undefined;
  const shortcut = w ? tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, x.shape[1]! / y.shape[1]!, 'same') : x;
  if (taps && w) taps.set(`${spec.name}/shortcut`, shortcut);
  return activate(tf.add(y, shortcut), spec.activation);
};

/** Initialises every layer; throws `InvalidShape` naming the layer that does not fit, `InvalidConfig` on duplicate names. */
export const initSequence = (layers: readonly LayerSpec[], inShape: readonly number[], rng: Rng): SequenceInit => {
  const params: Record<string, ParamTree> = {};
  const state: Record<string, ParamTree> = {};
  let shape = [...inShape];
  for (const spec of layers) {
    const init = spec.kind === 'residual' ? initResidual(spec, shape, rng) : implOf(spec).init(spec, shape, rng);
    const name = nameOf(spec);
    if (name !== null) {
      if (name in params)
        throw kapriError('InvalidConfig', `layer name '${name}' is used twice; names must be unique in a network`);
      params[name] = init.params;
      state[name] = init.state;
    }
    shape = init.outShape;
  }
  return { params, state, outShape: shape };
};

/** Runs the layers on x. When `taps` is given, the output of every named layer is stored in it. */
export const applySequence = (
  layers: readonly LayerSpec[],
  params: ParamTree,
  state: ParamTree,
  x: tf.Tensor,
  ctx: LayerContext,
  taps?: Map<string, tf.Tensor>,
): tf.Tensor => {
  let h = x;
  for (const spec of layers) {
    const name = nameOf(spec);
    const p = (name !== null ? params[name] : {}) as ParamTree;
    const s = (name !== null ? state[name] : {}) as ParamTree;
    h = spec.kind === 'residual' ? applyResidual(spec, p, s, h, ctx, taps) : implOf(spec).apply(spec, p, s, h, ctx);
    if (taps && name !== null) taps.set(name, h);
  }
  return h;
};
