/**
 * The meta-learned prior of KaP (docs/methods.md §2, in MetaReg's parametric form):
 *   R_φ(θ) = Σ_i softplus(φ_i) · g(θ_i − μ_i),  g = square (Gaussian) or |·| (Laplace),
 * μ = θ_src or 0, φ per parameter or one per tensor. This file holds the trainable state and the
 * exact one-step meta-gradient; metaLearn.ts runs the alternating schedule.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { ParamTree } from '../nn/paramTree.js';
import { selectPaths, type Prior, type PriorForm } from './prior.js';

export interface KapOptions {
  readonly model: string;
  readonly layers?: readonly string[];
  readonly form?: PriorForm;
  /** Centre: the source student's values (default) or zero. */
  readonly mu?: 'source' | 'zero';
  /** One φ per parameter (default) or one per tensor. */
  readonly granularity?: 'parameter' | 'tensor';
  /** Initial softplus(φ) (default 1e-2). */
  readonly initWeight?: number;
}

export interface KapState {
  readonly options: Required<KapOptions>;
  readonly paths: readonly string[];
  /** The model's variables the prior acts on (θ). */
  readonly theta: readonly tf.Variable[];
  readonly mu: readonly tf.Tensor[];
  /** Trainable φ, one variable per term. */
  readonly phi: readonly tf.Variable[];
  dispose(): void;
}

const inverseSoftplus = (w: number): number => Math.log(Math.expm1(w));

/** Creates φ (initialised so that softplus(φ) = initWeight) and μ for the chosen layers of `params`. */
export const createKapState = (params: ParamTree, options: KapOptions): KapState => {
  const o: Required<KapOptions> = {
    layers: [],
    form: 'gaussian',
    mu: 'source',
    granularity: 'parameter',
    initWeight: 1e-2,
    ...options,
  };
  if (!Number.isFinite(o.initWeight) || o.initWeight <= 0)
    throw kapriError('InvalidConfig', `kap initWeight must be > 0, got ${o.initWeight}`);
  const chosen = selectPaths(params, o.layers);
  const phi0 = inverseSoftplus(o.initWeight);
  const mu = chosen.map(([, v]) => (o.mu === 'source' ? tf.clone(v) : tf.zerosLike(v)));
  const phi = chosen.map(([, v]) =>
    tf.tidy(() => tf.variable(tf.fill(o.granularity === 'parameter' ? v.shape : [1], phi0), true)),
  );
  return {
    options: o,
    paths: chosen.map(([p]) => p),
    theta: chosen.map(([, v]) => v),
    mu,
    phi,
    dispose() {
      tf.dispose([...mu, ...phi]);
    },
  };
};

/** g′(d): 2d for the Gaussian form, sign(d) for the Laplace form. */
const gPrime = (form: PriorForm, d: tf.Tensor): tf.Tensor => (form === 'gaussian' ? tf.mul(d, 2) : tf.sign(d));

/** R_φ(θ), differentiable in θ (and φ). */
export const kapPenalty = (s: KapState): tf.Scalar =>
  tf.tidy(() => {
    const parts = s.theta.map((v, i) => {
      const d = tf.sub(v, s.mu[i]!);
      const g = s.options.form === 'gaussian' ? tf.square(d) : tf.abs(d);
      return tf.sum(tf.mul(tf.softplus(s.phi[i]!), g));
    });
    return tf.addN(parts) as tf.Scalar;
  });

/** ∇_θ R_φ(θ) = softplus(φ) ⊙ g′(θ − μ), per term. */
export const kapPenaltyGradient = (s: KapState): tf.Tensor[] =>
  s.theta.map((v, i) => tf.tidy(() => tf.mul(tf.softplus(s.phi[i]!), gPrime(s.options.form, tf.sub(v, s.mu[i]!)))));

/** Sums a per-parameter tensor to the shape of φ (identity per parameter, a scalar per tensor). */
const toPhiShape = (s: KapState, t: tf.Tensor, i: number): tf.Tensor =>
  s.phi[i]!.size === 1 ? tf.reshape(tf.sum(t), [1]) : t;

export interface MetaStepOptions {
  /** Inner step size α. */
  readonly alpha: number;
  /** Inner steps (1: exact meta-gradient; k > 1: first-order truncation). */
  readonly innerSteps?: number;
  /** Teacherless inner loss L_task(θ) on a source batch (weak modality and labels only). */
  readonly innerLoss: (innerStep: number) => tf.Scalar;
  /** Outer loss L_meta = L_CMKD(θ′) on a held-out source batch (teacher used). */
  readonly metaLoss: () => tf.Scalar;
}

export interface MetaStepResult {
  /** ∂L_meta/∂φ per term (caller disposes). */
  readonly phiGrads: tf.Tensor[];
  /** ∇_{θ′} L_meta(θ′) per term (caller disposes): the CMKD gradient at the adapted point. */
  readonly thetaGrads: tf.Tensor[];
  readonly metaLossValue: number;
}

/**
 * The meta-gradient of L_meta(θ′(φ)) with θ′ = θ − α ∇_θ[L_task(θ) + R_φ(θ)]:
 *   ∂L_meta/∂φ_i = −α · softplus′(φ_i) · g′(θ_i − μ_i) · [∇_{θ′} L_meta(θ′)]_i   (exact for one step),
 * summed over the inner trajectory's g′ for k > 1 steps (first-order truncation). θ is restored.
 * Only the prior's variables adapt in the inner loop; the others stay fixed.
 */
export const metaGradient = (s: KapState, o: MetaStepOptions): MetaStepResult => {
  const k = o.innerSteps ?? 1;
  if (!Number.isInteger(k) || k < 1)
    throw kapriError('InvalidConfig', `innerSteps must be a positive integer, got ${k}`);
  if (!Number.isFinite(o.alpha) || o.alpha <= 0)
    throw kapriError('InvalidConfig', `inner step size alpha must be > 0, got ${o.alpha}`);
  const saved = s.theta.map((v) => tf.clone(v));
  const gPrimeSum: tf.Tensor[] = s.theta.map((v) => tf.zerosLike(v as tf.Tensor));
  try {
    for (let step = 0; step < k; step++) {
      const { value, grads } = tf.variableGrads(() => o.innerLoss(step), s.theta as tf.Variable[]);
      const rGrad = kapPenaltyGradient(s);
      s.theta.forEach((v, i) => {
        tf.tidy(() => {
          const gp = gPrime(s.options.form, tf.sub(v, s.mu[i]!));
          const acc = tf.add(gPrimeSum[i]!, gp);
          gPrimeSum[i]!.dispose();
          gPrimeSum[i] = tf.keep(acc);
          v.assign(tf.sub(v, tf.mul(tf.add(grads[v.name]!, rGrad[i]!), o.alpha)));
        });
      });
      tf.dispose([value, ...Object.values(grads), ...rGrad]);
    }
    const { value, grads } = tf.variableGrads(o.metaLoss, s.theta as tf.Variable[]);
    const metaLossValue = value.dataSync()[0]!;
    const thetaGrads = s.theta.map((v) => grads[v.name]!);
    const phiGrads = s.theta.map((_, i) =>
      tf.tidy(() =>
        toPhiShape(s, tf.mul(tf.mul(tf.sigmoid(s.phi[i]!), gPrimeSum[i]!), tf.mul(thetaGrads[i]!, -o.alpha)), i),
      ),
    );
    value.dispose();
    return { phiGrads, thetaGrads, metaLossValue };
  } finally {
    s.theta.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose([...saved, ...gPrimeSum]);
  }
};

/** The learned prior as data (weights = softplus(φ)). */
export const kapToPrior = (s: KapState, meta: Record<string, number | string> = {}): Prior => ({
  family: 'kap',
  form: s.options.form,
  model: s.options.model,
  meta: { mu: s.options.mu, granularity: s.options.granularity, ...meta },
  terms: s.paths.map((path, i) => ({
    path,
    shape: s.theta[i]!.shape.slice(),
    mu: s.mu[i]!.dataSync().slice() as Float32Array,
    weight: tf.tidy(() => tf.softplus(s.phi[i]!).dataSync().slice() as Float32Array),
  })),
});
