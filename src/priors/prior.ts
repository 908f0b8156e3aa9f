/**
 * A prior on a model's parameters, as data: R(θ) = Σ_i w_i · g(θ_i − μ_i) over chosen tensors,
 * with g(d) = d² (Gaussian form) or |d| (Laplace form). Every family is this shape:
 *   l2sp:   w = λ/2,               g = square, μ = θ_src
 *   fisher: w = λ/2 · F_i,         g = square, μ = θ_src
 *   kap:    w = softplus(φ_i),     g = square or |·|, μ = θ_src or 0, φ meta-learned
 * (METHODS.md §2). Keeping it data makes the artifact, the penalty and the meta-gradient one code path.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { flattenParams, type ParamTree } from '../nn/paramTree.js';

export type PriorFamily = 'l2sp' | 'fisher' | 'kap';
export type PriorForm = 'gaussian' | 'laplace';

/** One parameter tensor's part of the prior. `weight` has the tensor's size, or 1 element (per tensor). */
export interface PriorTerm {
  readonly path: string;
  readonly shape: readonly number[];
  readonly mu: Float32Array;
  readonly weight: Float32Array;
}

export interface Prior {
  readonly family: PriorFamily;
  readonly form: PriorForm;
  /** The architecture the prior fits (a model name), checked when it is applied or loaded. */
  readonly model: string;
  readonly terms: readonly PriorTerm[];
  /** Family hyper-parameters worth recording (λ, inner step size, …). */
  readonly meta: Readonly<Record<string, number | string>>;
}

/** Parameter paths selected by prefixes (`[]` = every parameter). */
export const selectPaths = (params: ParamTree, prefixes: readonly string[]): [string, tf.Variable][] => {
  const flat = flattenParams(params);
  const chosen = prefixes.length === 0 ? flat : flat.filter(([p]) => prefixes.some((pre) => p === pre || p.startsWith(`${pre}/`)));
  if (chosen.length === 0) throw kapriError('InvalidConfig', `no parameter matches the prior's layers [${prefixes.join(', ')}]; paths look like '${flat[0]?.[0] ?? ''}'`);
  return chosen;
};

/** The variables of `params` that the prior's terms refer to; a mismatch is an error naming the path. */
export const bindPrior = (prior: Prior, params: ParamTree, model: string): tf.Variable[] => {
  if (prior.model !== model) throw kapriError('InvalidShape', `this prior was learned for model '${prior.model}', not '${model}'`);
  const byPath = new Map(flattenParams(params));
  return prior.terms.map((t) => {
    const v = byPath.get(t.path);
    if (!v) throw kapriError('InvalidShape', `the prior refers to parameter '${t.path}', which model '${model}' does not have`);
    if (v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
      throw kapriError('InvalidShape', `the prior's '${t.path}' has shape [${t.shape.join(', ')}], the model's is [${v.shape.join(', ')}]`);
    }
    return v;
  });
};

/** g(d) summed with weights, differentiable in θ: the penalty added to the target loss. */
export const priorPenalty = (prior: Prior, vars: readonly tf.Variable[]): tf.Scalar =>
  tf.tidy(() => {
    const parts = prior.terms.map((t, i) => {
      const d = tf.sub(vars[i]!, tf.tensor(t.mu, t.shape as number[]));
      const g = prior.form === 'gaussian' ? tf.square(d) : tf.abs(d);
      const w = t.weight.length === 1 ? tf.scalar(t.weight[0]!) : tf.tensor(t.weight, t.shape as number[]);
      return tf.sum(tf.mul(w, g));
    });
    return tf.addN(parts) as tf.Scalar;
  });
