/**
 * Learning the KaP prior on the source (docs/methods.md §2), in MetaReg's form (Balaji et al. 2018):
 * episodes are taken at parameter states that teacherless training actually passes through.
 *
 *   trajectory: θ_0 = θ_src; θ_{t+1} = Adam step on L_task(θ_t; small labelled subset) + R_φ(θ_t)
 *               (what the target training will do, with the source's weak modality standing in for
 *               the target's), back to θ_src every `episode` steps so that early and late states are
 *               both sampled;
 *   inner:      θ′ = k SGD steps of size α on L_task + R_φ from θ_t (teacherless);
 *   outer:      φ ← φ − β · Adam(normalised ∂L_meta(θ′)/∂φ), L_meta = L_CMKD on a held-out source
 *               batch (the teacher's knowledge judges where the teacherless step went).
 *
 * Why these choices: at θ = μ = θ_src the prior's gradient g′(0) is zero and so is the meta-gradient,
 * which is why episodes start from trajectory states; the raw meta-gradient is ∝ α·|θ − μ| (≈ 1e-10
 * on hands, below Adam's ε), so it is divided by its root mean square over all of φ before Adam
 * (Adam then sees unit-scale gradients and moves φ by about β per step, in the sign the episodes agree
 * on). For k > 1 inner steps the meta-gradient is the first-order truncation (see kapPrior.ts).
 * θ and the batch-norm statistics are put back to θ_src at the end: the student handed to the target
 * is θ_src = μ.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { median } from '../core/median.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import type { BatchSource, SourceBatch } from '../distill/batches.js';
import { cmkdObjective, type CmkdParts } from '../distill/cmkd.js';
import { snapshotModel } from '../nn/model.js';
import { createOptimizer, type Optimizer } from '../train/optimizer.js';
import { kapPenalty, kapToPrior, metaGradient, type KapState } from './kapPrior.js';
import type { Prior } from './prior.js';

export interface MetaLearnOptions {
  readonly state: KapState;
  readonly parts: CmkdParts;
  /** Labelled source batches (weak modality and labels only are used) of the small subset the trajectories train on. */
  readonly innerBatches: BatchSource<SourceBatch>;
  /** Held-out source batches for the outer loss. */
  readonly metaBatches: BatchSource<SourceBatch>;
  readonly steps: number;
  /** Inner step size α. */
  readonly alpha: number;
  /** φ learning rate β (Adam on the normalised meta-gradient). */
  readonly beta: number;
  /** Learning rate of the teacherless trajectory (Adam), the target's. */
  readonly trajectoryLr: number;
  /** Trajectory steps before it starts again from θ_src. */
  readonly episode: number;
  readonly innerSteps?: number;
  readonly onProgress?: ProgressSink;
}

/** What shows whether the prior learned (report.json `priors.kap`). */
export interface MetaLearnStats {
  /** 90th / 10th percentile of the learned per-parameter strengths softplus(φ). */
  readonly phiSpread: number;
  /** Median over meta steps of the raw meta-gradient's L2 norm (before normalisation). */
  readonly metaGradNorm: number;
  /** Mean outer loss over the first and the last quarter of the meta steps. */
  readonly outerLossFirst: number;
  readonly outerLossLast: number;
}

export interface MetaLearnResult {
  readonly prior: Prior;
  /** Outer loss per step, for plots. */
  readonly metaLosses: number[];
  readonly stats: MetaLearnStats;
}

/** The q-quantile (0..1) of a sorted array, linearly interpolated. */
const quantile = (sorted: Float32Array, q: number): number => {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

/** 90th over 10th percentile of a prior's per-parameter weights (a per-tensor weight counts once per parameter). */
export const weightSpread = (p: Prior): number => {
  const n = p.terms.reduce((a, t) => a + t.mu.length, 0);
  const all = new Float32Array(n);
  let o = 0;
  for (const t of p.terms) {
    if (t.weight.length === 1) all.fill(t.weight[0]!, o, o + t.mu.length);
    else all.set(t.weight, o);
    o += t.mu.length;
  }
  all.sort();
  return quantile(all, 0.9) / quantile(all, 0.1);
};

const meanOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export const metaLearnPrior = async (o: MetaLearnOptions): Promise<MetaLearnResult> => {
  if (!Number.isInteger(o.steps) || o.steps < 1)
    throw kapriError('InvalidConfig', `meta-learning steps must be a positive integer, got ${o.steps}`);
  if (!Number.isInteger(o.episode) || o.episode < 1)
    throw kapriError('InvalidConfig', `the trajectory episode must be a positive integer, got ${o.episode}`);
  for (const [k, v] of [
    ['beta', o.beta],
    ['trajectoryLr', o.trajectoryLr],
  ] as const) {
    if (!Number.isFinite(v) || v <= 0) throw kapriError('InvalidConfig', `${k} must be > 0, got ${v}`);
  }
  const progress = o.onProgress ?? silentProgress;
  const s = o.state;
  const student = o.parts.student;
  const phiOpt = createOptimizer({ kind: 'adam' }, s.phi);
  const source = snapshotModel(student);
  let trajectoryOpt: Optimizer | null = null;
  const metaLosses: number[] = [];
  const gradNorms: number[] = [];
  const taskLoss = (b: SourceBatch, step: number): tf.Scalar => {
    if (!b.label)
      throw kapriError(
        'InvalidData',
        `meta-learning needs labelled source batches for the teacherless steps; batch ${step} has none`,
      );
    return o.parts.losses.task(student.forward([b.weak], { training: true }).output, b.label);
  };
  const disposeBatch = (b: SourceBatch) => tf.dispose([b.weak, b.superior, ...(b.label ? [b.label] : [])]);
  try {
    for (let step = 0; step < o.steps; step++) {
      if (step % o.episode === 0) {
        source.restore();
        trajectoryOpt?.dispose();
        trajectoryOpt = createOptimizer({ kind: 'adam' }, student.variables);
      }
      // 1. One teacherless step along the trajectory, with the current prior, as on the target.
      const tb = o.innerBatches(2 * step);
      const t = tf.variableGrads(() => tf.add(taskLoss(tb, step), kapPenalty(s)) as tf.Scalar, student.variables);
      trajectoryOpt!.step(
        student.variables.map((v) => t.grads[v.name]),
        o.trajectoryLr,
      );
      tf.dispose([t.value, ...Object.values(t.grads)]);
      disposeBatch(tb);
      // 2. The episode at θ_t: inner teacherless steps, outer CMKD loss on held-out pairs.
      const inner = o.innerBatches(2 * step + 1);
      const mb = o.metaBatches(step);
      const r = metaGradient(s, {
        alpha: o.alpha,
        ...(o.innerSteps !== undefined ? { innerSteps: o.innerSteps } : {}),
        innerLoss: () => taskLoss(inner, step),
        metaLoss: () => cmkdObjective(o.parts, mb),
      });
      disposeBatch(inner);
      disposeBatch(mb);
      tf.dispose(r.thetaGrads);
      if (!Number.isFinite(r.metaLossValue)) {
        tf.dispose(r.phiGrads);
        throw kapriError(
          'NumericalError',
          `meta-learning: the outer loss became ${r.metaLossValue} at step ${step}; lower alpha or beta`,
          { step },
        );
      }
      // 3. φ moves on the normalised meta-gradient (the raw one sits far below Adam's ε).
      const sumSq = tf.tidy(() => tf.addN(r.phiGrads.map((g) => tf.sum(tf.square(g)))).dataSync()[0]!);
      const count = r.phiGrads.reduce((a, g) => a + g.size, 0);
      gradNorms.push(Math.sqrt(sumSq));
      const rms = Math.sqrt(sumSq / count);
      if (rms > 0 && Number.isFinite(rms)) {
        const unit = r.phiGrads.map((g) => tf.div(g, rms));
        phiOpt.step(unit, o.beta);
        tf.dispose(unit);
      }
      tf.dispose(r.phiGrads);
      metaLosses.push(r.metaLossValue);
      if ((step + 1) % Math.max(1, Math.floor(o.steps / 20)) === 0 || step === o.steps - 1) {
        progress({
          stage: 'prior',
          step: step + 1,
          total: o.steps,
          message: `meta loss ${r.metaLossValue.toFixed(4)}`,
        });
        await new Promise((res) => setTimeout(res, 0));
      }
    }
  } finally {
    source.restore();
    source.dispose();
    trajectoryOpt?.dispose();
    phiOpt.dispose();
  }
  const prior = kapToPrior(s, {
    alpha: o.alpha,
    beta: o.beta,
    steps: o.steps,
    innerSteps: o.innerSteps ?? 1,
    episode: o.episode,
    trajectoryLr: o.trajectoryLr,
  });
  const q = Math.max(1, Math.floor(metaLosses.length / 4));
  return {
    prior,
    metaLosses,
    stats: {
      phiSpread: weightSpread(prior),
      metaGradNorm: median(gradNorms),
      outerLossFirst: meanOf(metaLosses.slice(0, q)),
      outerLossLast: meanOf(metaLosses.slice(-q)),
    },
  };
};
