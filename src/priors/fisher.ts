/**
 * Laplace / EWC prior: λ/2 · Σ F_i (θ_i − θ_src,i)², F the empirical diagonal Fisher of L_CMKD on
 * source batches: the mean over `batches` of the squared gradient of each batch's loss. (Per-sample
 * squared gradients would be the textbook empirical Fisher; mini-batches of size b estimate it up to
 * a factor that λ absorbs, at 1/b of the cost. The batch size used is recorded in the prior.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { ParamTree } from '../nn/paramTree.js';
import { selectPaths, type Prior } from './prior.js';

export interface FisherOptions {
  readonly model: string;
  readonly lambda: number;
  readonly layers?: readonly string[];
  /** Number of batches to average over. */
  readonly batches: number;
  /** The loss of batch k (L_CMKD on source data). */
  readonly loss: (k: number) => tf.Scalar;
  /** Recorded in the prior's meta. */
  readonly batchSize: number;
}

/** Estimates the diagonal Fisher at the current parameters and returns the prior centred there. */
export const fisherPrior = (params: ParamTree, o: FisherOptions): Prior => {
  if (!Number.isFinite(o.lambda) || o.lambda < 0)
    throw kapriError('InvalidConfig', `fisher lambda must be ≥ 0, got ${o.lambda}`);
  if (!Number.isInteger(o.batches) || o.batches < 1)
    throw kapriError('InvalidConfig', `fisher needs at least one batch, got ${o.batches}`);
  const chosen = selectPaths(params, o.layers ?? []);
  const vars = chosen.map(([, v]) => v);
  const acc = chosen.map(([, v]) => new Float32Array(v.size));
  for (let k = 0; k < o.batches; k++) {
    const { value, grads } = tf.variableGrads(() => o.loss(k), vars);
    vars.forEach((v, i) => {
      const g = grads[v.name]!.dataSync();
      const a = acc[i]!;
      for (let j = 0; j < a.length; j++) a[j]! += (g[j]! * g[j]!) / o.batches;
    });
    tf.dispose([value, ...Object.values(grads)]);
  }
  return {
    family: 'fisher',
    form: 'gaussian',
    model: o.model,
    meta: { lambda: o.lambda, batches: o.batches, batchSize: o.batchSize },
    terms: chosen.map(([path, v], i) => ({
      path,
      shape: v.shape.slice(),
      mu: v.dataSync().slice() as Float32Array,
      weight: acc[i]!.map((f) => (o.lambda / 2) * f),
    })),
  };
};
