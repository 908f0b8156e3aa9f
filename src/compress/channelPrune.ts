/**
 * Structured (channel) pruning that shrinks the network: the pruned model has fewer filters or units
 * in the layers it cut, so it stores fewer weights and runs fewer MACs on the kernels. A layer can lose
 * output channels when the next layer of its list reads them and nothing else does: a conv followed by
 * a conv, a dense followed by a dense. So a residual block's inner conv (its output meets no add), a
 * stem that feeds a conv, and a head's hidden layer qualify; a conv that feeds a residual block or ends
 * the encoder (the feature the head and the alignments read) does not.
 *
 * Channels are ranked by the L1 norm of their weights, scaled by |γ|/√(σ² + ε) of their batch norm
 * (the norm of the folded weights that the int8 export stores). The short fine-tune that follows is
 * the caller's: removing a channel also removes its constant post-BN output from the next layer.
 *
 * @example
 * const { model: small, pruned } = pruneChannels(student, 0.5, rng);   // then fine-tune `small`
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { LayerSpec, NetworkSpec } from '../nn/layerSpec.js';
import { BN_EPSILON } from '../nn/layers/batchNorm.js';
import { createModel, type Model } from '../nn/model.js';
import { flattenParams } from '../nn/paramTree.js';
import { keepByScore } from './pruning.js';

/** Which output channels of a layer survive. */
export interface PrunedLayer {
  /** Parameter-path prefix of the layer, e.g. `encoder0/res1/body/a`. */
  readonly layer: string;
  readonly before: number;
  readonly kept: readonly number[];
}

type Channelled = Extract<LayerSpec, { kind: 'conv2d' | 'conv1d' | 'dense' }>;
const isConv = (l: LayerSpec): boolean => l.kind === 'conv2d' || l.kind === 'conv1d';
const width = (l: Channelled): number => (l.kind === 'dense' ? l.units : l.filters);

/** The layers of a list that may lose output channels, as [index, next index]. */
const sites = (layers: readonly LayerSpec[]): number[] =>
  layers.flatMap((l, i) => {
    const n = layers[i + 1];
    if (!n) return [];
    return (isConv(l) && isConv(n)) || (l.kind === 'dense' && n.kind === 'dense') ? [i] : [];
  });

/** Per output channel: L1 of the weights × |γ|/√(σ² + ε) when the layer has batch norm. */
const channelScores = (values: ReadonlyMap<string, tf.Variable>, prefix: string, channels: number): Float64Array => {
  const w = values.get(`${prefix}/w`)!.dataSync() as Float32Array;
  const s = new Float64Array(channels);
  for (let i = 0; i < w.length; i++) s[i % channels]! += Math.abs(w[i]!);
  const gamma = values.get(`${prefix}/bn/gamma`);
  const variance = values.get(`${prefix}/bn/variance`);
  if (gamma && variance) {
    const g = gamma.dataSync() as Float32Array;
    const v = variance.dataSync() as Float32Array;
    for (let c = 0; c < channels; c++) s[c]! *= Math.abs(g[c]!) / Math.sqrt(v[c]! + BN_EPSILON);
  }
  return s;
};

interface Cut {
  /** Layer prefix → kept output channels. */
  readonly out: Map<string, number[]>;
  /** Layer prefix → kept input channels (the layer after a cut one). */
  readonly in: Map<string, number[]>;
}

/** Rewrites a layer list with fewer channels at its prunable sites, recording the cuts. */
const pruneList = (
  layers: readonly LayerSpec[],
  prefix: string,
  sparsity: number,
  values: ReadonlyMap<string, tf.Variable>,
  cut: Cut,
  pruned: PrunedLayer[],
): LayerSpec[] => {
  const at = new Set(sites(layers));
  // One pass in network order: cutting layer i changes its own spec; layer i + 1 only reads fewer inputs.
  return layers.map((l, i): LayerSpec => {
    if (l.kind === 'residual')
      return { ...l, body: pruneList(l.body, `${prefix}/${l.name}/body`, sparsity, values, cut, pruned) };
    if (!at.has(i)) return l;
    const c = l as Channelled;
    const name = `${prefix}/${c.name}`;
    const kept = keepByScore(channelScores(values, name, width(c)), sparsity);
    cut.out.set(name, kept);
    cut.in.set(`${prefix}/${(layers[i + 1] as Channelled).name}`, kept);
    pruned.push({ layer: name, before: width(c), kept });
    return c.kind === 'dense' ? { ...c, units: kept.length } : { ...c, filters: kept.length };
  });
};

/** The layer prefix of a parameter path (`…/a/w` → `…/a`, `…/a/bn/gamma` → `…/a`). */
const layerOf = (path: string): string => path.replace(/\/(bn\/)?[^/]+$/, '');

/**
 * A copy of `model` with `sparsity` of the output channels removed at every prunable layer (weights
 * copied for the channels that stay). The source model is left as it was.
 */
export const pruneChannels = (model: Model, sparsity: number, rng: Rng): { model: Model; pruned: PrunedLayer[] } => {
  const values = new Map([...flattenParams(model.params), ...flattenParams(model.state)]);
  const cut: Cut = { out: new Map(), in: new Map() };
  const pruned: PrunedLayer[] = [];
  const spec = (s: NetworkSpec, prefix: string): NetworkSpec => ({
    ...s,
    layers: pruneList(s.layers, prefix, sparsity, values, cut, pruned),
  });
  const encoders = model.encoders.map((e, i) => spec(e.spec, `encoder${i}`));
  const head = spec(model.head.spec, 'head');
  if (pruned.length === 0)
    throw kapriError(
      'Unsupported',
      `model '${model.name}' has no layer whose channels can be pruned (a conv before a conv, or a dense before a dense)`,
    );
  const small = createModel(model.name, encoders, () => head, rng);
  for (const [path, v] of [...flattenParams(small.params), ...flattenParams(small.state)]) {
    const src = values.get(path);
    if (!src) throw kapriError('InvalidShape', `pruning lost the parameter '${path}'`);
    const layer = layerOf(path);
    const outKept = cut.out.get(layer);
    const inKept = path.endsWith('/w') ? cut.in.get(layer) : undefined;
    // Assigned inside the tidy: the gathered tensors are released, the variable keeps their data.
    tf.tidy(() => {
      let t: tf.Tensor = src;
      // Weights are [..., in, out]; biases and batch-norm vectors are [out].
      if (outKept) t = tf.gather(t, outKept, t.rank - 1);
      if (inKept) t = tf.gather(t, inKept, t.rank - 2);
      v.assign(t);
    });
  }
  return { model: small, pruned };
};
