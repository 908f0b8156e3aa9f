/**
 * The target stage (METHODS.md §2): with only the target's weak modality and a few labels, train the
 * student six ways with the same step budget, batches and seed: `scratch` (fresh weights), `finetune`
 * (from θ_src, no prior), and from θ_src with the `l2sp`, `fisher`, `kap` and `kapFixed` (the KaP
 * prior with meta-learning switched off: φ at its initial value) priors. Each prior is trained at
 * every strength of one grid (METHODS §6: equal tuning); the strength is chosen later on the target
 * validation split. The priors are learned on the source before this stage sees any target data; the
 * target trainer itself cannot take a teacher.
 */
import type { ProgressSink } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { subsetSource, subsetTarget, type PairedSource, type Target } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import type { CmkdParts } from '../distill/cmkd.js';
import { cmkdObjective } from '../distill/cmkd.js';
import { copyWeights, snapshotModel, type Model } from '../nn/model.js';
import { createKapState, kapToPrior } from '../priors/kapPrior.js';
import { fisherPrior } from '../priors/fisher.js';
import { l2spPrior } from '../priors/l2sp.js';
import { metaLearnPrior, type MetaLearnStats } from '../priors/metaLearn.js';
import { atStrength, type Prior } from '../priors/prior.js';
import { trainTarget } from '../priors/targetTraining.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { Config } from './config.js';
import { modelFor } from './models.js';
import { isBetter, type TaskSpec } from './taskSpec.js';
import { predictAll, sourceBatches, targetBatches } from './tensorBatches.js';

export const METHODS = ['scratch', 'finetune', 'l2sp', 'fisher', 'kap', 'kapFixed'] as const;
export type Method = (typeof METHODS)[number];
/** The methods that carry a prior, tuned over the strength grid. */
export const PRIOR_METHODS = ['l2sp', 'fisher', 'kap', 'kapFixed'] as const;
export type PriorMethod = (typeof PRIOR_METHODS)[number];
const isPriorMethod = (m: Method): m is PriorMethod => (PRIOR_METHODS as readonly string[]).includes(m);

/** The priors learned on the source, at unit strength (`atStrength` sets λ). */
export interface Priors {
  readonly l2sp: Prior;
  readonly fisher: Prior;
  readonly kap: Prior;
  /** The KaP prior before meta-learning (φ at its initial value): the ablation. */
  readonly kapFixed: Prior;
  readonly kapMetaLosses: number[];
  readonly kapStats: MetaLearnStats;
}

/**
 * Learns the priors on the source from the distilled student θ_src. The student is handed back
 * unchanged, batch-norm statistics included (the Fisher and the meta-learning run forward passes in
 * training mode).
 */
export const learnPriors = async (
  parts: CmkdParts,
  source: { train: PairedSource; val: PairedSource },
  task: TaskSpec,
  c: Config,
  rng: Rng,
  onProgress?: ProgressSink,
): Promise<Priors> => {
  const student = parts.student;
  const layers = c.prior.layers;
  const snapshot = snapshotModel(student);
  const state = createKapState(student.params, {
    model: student.name,
    layers,
    form: c.prior.kap.form,
    mu: c.prior.kap.mu,
    granularity: c.prior.kap.granularity,
    initWeight: c.prior.kap.initWeight,
  });
  try {
    const l2sp = l2spPrior(student.params, { model: student.name, lambda: 1, layers });
    const fb = sourceBatches(source.train, c.student.batchSize, rng.fork('fisher'), task.labelScale);
    const fisher = fisherPrior(student.params, {
      model: student.name,
      lambda: 1,
      layers,
      batches: c.prior.fisherBatches,
      batchSize: c.student.batchSize,
      loss: (k) => cmkdObjective(parts, fb(k)),
    });
    snapshot.restore();
    const kapFixed = { ...kapToPrior(state, { metaLearning: 'off' }), family: 'kap' as const };
    // The teacherless trajectories train on a labelled subset as small as the target's labelled set.
    const subset = subsetSource(
      source.train,
      labelledSubset(source.train.n, Math.min(c.prior.kap.subset, source.train.n), rng.fork('kap-subset')),
    );
    const r = await metaLearnPrior({
      state,
      parts,
      innerBatches: sourceBatches(subset, c.target.batchSize, rng.fork('kap-inner'), task.labelScale),
      // Held out: the outer loss reads the source validation split, never the batches of the inner step.
      metaBatches: sourceBatches(source.val, c.student.batchSize, rng.fork('kap-outer'), task.labelScale),
      steps: c.prior.kap.steps,
      alpha: c.prior.kap.alpha,
      beta: c.prior.kap.beta,
      trajectoryLr: c.target.lr,
      episode: c.prior.kap.episode,
      innerSteps: c.prior.kap.innerSteps,
      ...(onProgress ? { onProgress } : {}),
    });
    return { l2sp, fisher, kap: r.prior, kapFixed, kapMetaLosses: r.metaLosses, kapStats: r.stats };
  } finally {
    snapshot.restore();
    snapshot.dispose();
    state.dispose();
  }
};

export interface MethodResult {
  /** The prior's strength λ (null for scratch and finetune). */
  readonly strength: number | null;
  /** The metric on the target test split. */
  readonly score: number;
  /** The best target-validation metric during training (the weights kept are that step's). */
  readonly val: number;
  readonly details: Record<string, number>;
  readonly curve: CurvePoint[];
  /** Set when the run was not repeated because its prior equals another method's at this strength. */
  readonly sameAs?: Method;
}

export interface TargetStageInput {
  readonly target: { readonly train: Target; readonly val: Target; readonly test: Target };
  /** The distilled student θ_src (not modified). */
  readonly studentSrc: Model;
  readonly priors: Priors;
  readonly task: TaskSpec;
  readonly config: Config;
  readonly labelled: number;
  readonly rng: Rng;
  readonly methods?: readonly Method[];
  readonly onProgress?: ProgressSink;
  /**
   * Receives the trained `kap` model at the strength best on this seed's target validation split,
   * and the labelled subset it saw (e.g. to compress and deploy it), before the model is disposed.
   */
  readonly keepKap?: (m: Model, labelled: Target) => Promise<void> | void;
}

const score = (m: Model, d: Target, task: TaskSpec): number =>
  task.metric(
    predictAll(d.weak, d.n, (x) => m.forward([x], { training: false }).output),
    d.label!,
  );

const sameArray = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
/** Two priors that penalise every parameter identically train identically (same batches, same seed). */
const samePrior = (a: Prior, b: Prior): boolean =>
  a.form === b.form &&
  a.model === b.model &&
  a.terms.length === b.terms.length &&
  a.terms.every((t, i) => {
    const u = b.terms[i]!;
    const wa = t.weight.length === 1 ? new Float32Array(t.mu.length).fill(t.weight[0]!) : t.weight;
    const wb = u.weight.length === 1 ? new Float32Array(u.mu.length).fill(u.weight[0]!) : u.weight;
    return t.path === u.path && sameArray(t.mu, u.mu) && sameArray(wa, wb);
  });

/**
 * Trains and scores every method on the target; returns, by method, one result per strength (one
 * result for scratch and finetune).
 */
export const runTargetStage = async (i: TargetStageInput): Promise<Record<Method, MethodResult[]>> => {
  const { target, task, config: c, rng } = i;
  const idx = labelledSubset(target.train.n, i.labelled, rng.fork('labelled'));
  const labelled = subsetTarget(target.train, idx);
  const out = {} as Record<Method, MethodResult[]>;
  const done: { method: Method; prior: Prior; result: MethodResult }[] = [];
  let bestKap: { model: Model; val: number } | null = null;
  try {
    for (const method of i.methods ?? METHODS) {
      const strengths: (number | null)[] = isPriorMethod(method) ? [...c.prior.strengths] : [null];
      out[method] = [];
      for (const strength of strengths) {
        const prior = isPriorMethod(method) && strength !== null ? atStrength(i.priors[method], strength) : null;
        const twin = prior ? done.find((d) => samePrior(d.prior, prior)) : undefined;
        if (twin) {
          out[method].push({ ...twin.result, sameAs: twin.method });
          continue;
        }
        const model = modelFor(
          i.studentSrc.name,
          labelled.weak.shape,
          c.student.width,
          task.outputs,
          rng.fork('scratch-init'),
        );
        if (method !== 'scratch') copyWeights(i.studentSrc, model);
        const label = `target ${method}${strength !== null ? ` λ ${strength}` : ''}`;
        const r = await trainTarget({
          model,
          // Every method sees the same batches in the same order.
          batches: targetBatches(labelled, c.target.batchSize, rng.fork('target-batches'), task.labelScale),
          prior,
          taskLoss: task.taskLoss,
          config: {
            steps: c.target.steps,
            lr: c.target.lr,
            optimizer: { kind: 'adam' },
            evalEvery: Math.max(1, Math.floor(c.target.steps / 10)),
            patience: c.target.patience,
          },
          validate: () => score(model, target.val, task),
          higherIsBetter: task.higherIsBetter,
          ...(i.onProgress ? { onProgress: (e) => i.onProgress!({ ...e, stage: label }) } : {}),
        });
        const pred = predictAll(target.test.weak, target.test.n, (x) => model.forward([x], { training: false }).output);
        const result: MethodResult = {
          strength,
          score: task.metric(pred, target.test.label!),
          val: r.bestVal ?? Number.NaN,
          details: task.details(pred, target.test.label!),
          curve: r.curve,
        };
        out[method].push(result);
        if (prior) done.push({ method, prior, result });
        if (
          method === 'kap' &&
          i.keepKap &&
          (bestKap === null || isBetter(result.val, bestKap.val, task.higherIsBetter))
        ) {
          bestKap?.model.dispose();
          bestKap = { model, val: result.val };
        } else {
          model.dispose();
        }
      }
    }
    if (bestKap && i.keepKap) await i.keepKap(bestKap.model, labelled);
  } finally {
    bestKap?.model.dispose();
  }
  return out;
};
