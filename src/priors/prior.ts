/**
 * A prior on a model's parameters, as data: R(θ) = Σ_i w_i · g(θ_i − μ_i) over chosen tensors,
 * with g(d) = d² (Gaussian form) or |d| (Laplace form). Every family is this shape:
 *   l2sp:   w = λ/2,               g = square, μ = θ_src
 *   fisher: w = λ/2 · F_i,         g = square, μ = θ_src
 *   kap:    w = softplus(φ_i),     g = square or |·|, μ = θ_src or 0, φ meta-learned
 * (docs/methods.md §2; a registered family may put any w and μ here, registry.ts). Keeping it data makes the artifact, the penalty and the meta-gradient one code path.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { flattenParams, type ParamTree } from '../nn/paramTree.js';

/** The name of the family that made a prior: a key of the prior registry (registry.ts), e.g. 'kap'. */
export type PriorFamily = string;
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
  const chosen =
    prefixes.length === 0 ? flat : flat.filter(([p]) => prefixes.some((pre) => p === pre || p.startsWith(`${pre}/`)));
  if (chosen.length === 0)
    throw kapriError(
      'InvalidConfig',
      `no parameter matches the prior's layers [${prefixes.join(', ')}]; paths look like '${flat[0]?.[0] ?? ''}'`,
    );
  return chosen;
};

/** The variables of `params` that the prior's terms refer to; a mismatch is an error naming the path. */
export const bindPrior = (prior: Prior, params: ParamTree, model: string): tf.Variable[] => {
  if (prior.model !== model)
    throw kapriError('InvalidShape', `this prior was learned for model '${prior.model}', not '${model}'`);
  const byPath = new Map(flattenParams(params));
  return prior.terms.map((t) => {
    const v = byPath.get(t.path);
    if (!v)
      throw kapriError(
        'InvalidShape',
        `the prior refers to parameter '${t.path}', which model '${model}' does not have`,
      );
    if (v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
      throw kapriError(
        'InvalidShape',
        `the prior's '${t.path}' has shape [${t.shape.join(', ')}], the model's is [${v.shape.join(', ')}]`,
      );
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

/** The mean per-parameter weight of a prior (a per-tensor weight counts once per parameter). */
export const meanWeight = (prior: Prior): number => {
  let sum = 0;
  let n = 0;
  for (const t of prior.terms) {
    const size = t.mu.length;
    sum += t.weight.length === 1 ? t.weight[0]! * size : t.weight.reduce((a, w) => a + w, 0);
    n += size;
  }
  return sum / n;
};

/**
 * The prior at strength λ: its weights rescaled so that their mean per parameter is λ/2, the shape
 * across parameters kept. Every family tuned on one λ grid then differs only in where it puts its
 * strength (uniform for l2sp, the Fisher's for fisher, the learned one for kap), which is the
 * comparison the report makes (docs/methods.md §6: equal tuning).
 *
 * @example
 * const strong = atStrength(kapPrior, 0.1); // meanWeight(strong) === 0.05
 */
export const atStrength = (prior: Prior, lambda: number): Prior => {
  if (!Number.isFinite(lambda) || lambda < 0)
    throw kapriError('InvalidConfig', `a prior's strength λ must be a finite number ≥ 0, got ${lambda}`);
  const mean = meanWeight(prior);
  if (!(mean > 0) || !Number.isFinite(mean))
    throw kapriError(
      'NumericalError',
      `the ${prior.family} prior's weights have mean ${mean}; it cannot be scaled to a strength`,
    );
  const k = lambda / 2 / mean;
  return {
    ...prior,
    meta: { ...prior.meta, lambda },
    terms: prior.terms.map((t) => ({ ...t, weight: t.weight.map((w) => w * k) })),
  };
};
