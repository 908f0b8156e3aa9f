/**
 * The target stage (METHODS.md §2): with only the target's weak modality and a few labels, train the
 * student five ways with the same step budget and seed: `scratch` (fresh weights), `finetune` (from
 * θ_src, no prior), and from θ_src with the `l2sp`, `fisher` and `kap` priors. The priors are learned
 * on the source before this stage sees any target data; the target trainer itself cannot take a teacher.
 */
import type { ProgressSink } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { subsetTarget, type PairedSource, type Target } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import type { CmkdParts } from '../distill/cmkd.js';
import { cmkdObjective } from '../distill/cmkd.js';
import { copyWeights, type Model } from '../nn/model.js';
import { createKapState } from '../priors/kapPrior.js';
import { fisherPrior } from '../priors/fisher.js';
import { l2spPrior } from '../priors/l2sp.js';
import { metaLearnPrior } from '../priors/metaLearn.js';
import type { Prior } from '../priors/prior.js';
import { trainTarget } from '../priors/targetTraining.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { Config } from './config.js';
import { modelFor } from './models.js';
import type { TaskSpec } from './taskSpec.js';
import { predictAll, sourceBatches, targetBatches } from './tensorBatches.js';

export const METHODS = ['scratch', 'finetune', 'l2sp', 'fisher', 'kap'] as const;
export type Method = (typeof METHODS)[number];

export interface Priors {
  readonly l2sp: Prior;
  readonly fisher: Prior;
  readonly kap: Prior;
  readonly kapMetaLosses: number[];
}

/** Learns the three priors on the source from the distilled student θ_src (left unchanged). */
export const learnPriors = async (parts: CmkdParts, source: { train: PairedSource; val: PairedSource }, task: TaskSpec, c: Config, rng: Rng, onProgress?: ProgressSink): Promise<Priors> => {
  const student = parts.student;
  const layers = c.prior.layers;
  const l2sp = l2spPrior(student.params, { model: student.name, lambda: c.prior.l2spLambda, layers });
  const fb = sourceBatches(source.train, c.student.batchSize, rng.fork('fisher'), task.labelScale);
  const fisher = fisherPrior(student.params, { model: student.name, lambda: c.prior.fisherLambda, layers, batches: c.prior.fisherBatches, batchSize: c.student.batchSize, loss: (k) => cmkdObjective(parts, fb(k)) });
  const state = createKapState(student.params, { model: student.name, layers, form: c.prior.kap.form, mu: c.prior.kap.mu, granularity: c.prior.kap.granularity, initWeight: c.prior.kap.initWeight });
  try {
    const r = await metaLearnPrior({
      state,
      parts,
      innerBatches: sourceBatches(source.train, c.student.batchSize, rng.fork('kap-inner'), task.labelScale),
      // Held out: the outer loss reads the source validation split, never the batches of the inner step.
      metaBatches: sourceBatches(source.val, c.student.batchSize, rng.fork('kap-outer'), task.labelScale),
      steps: c.prior.kap.steps,
      alpha: c.prior.kap.alpha,
      beta: c.prior.kap.beta,
      cmkdLr: c.student.lr,
      innerSteps: c.prior.kap.innerSteps,
      ...(onProgress ? { onProgress } : {}),
    });
    return { l2sp, fisher, kap: r.prior, kapMetaLosses: r.metaLosses };
  } finally {
    state.dispose();
  }
};

export interface MethodResult {
  readonly score: number;
  /** The best target-validation metric during training (the weights kept are that step's). */
  readonly val: number;
  readonly details: Record<string, number>;
  readonly curve: CurvePoint[];
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
  /** Receives the trained `kap` model and the labelled subset it saw (e.g. to compress and deploy it) before the model is disposed. */
  readonly keepKap?: (m: Model, labelled: Target) => Promise<void> | void;
}

const score = (m: Model, d: Target, task: TaskSpec): number => task.metric(predictAll(d.weak, d.n, (x) => m.forward([x], { training: false }).output), d.label!);

/** Trains and scores every method on the target; returns results by method. */
export const runTargetStage = async (i: TargetStageInput): Promise<Record<Method, MethodResult>> => {
  const { target, task, config: c, rng } = i;
  const idx = labelledSubset(target.train.n, i.labelled, rng.fork('labelled'));
  const labelled = subsetTarget(target.train, idx);
  const out = {} as Record<Method, MethodResult>;
  for (const method of i.methods ?? METHODS) {
    const model = modelFor(i.studentSrc.name, labelled.weak.shape, c.student.width, task.outputs, rng.fork('scratch-init'));
    if (method !== 'scratch') copyWeights(i.studentSrc, model);
    const prior = method === 'l2sp' ? i.priors.l2sp : method === 'fisher' ? i.priors.fisher : method === 'kap' ? i.priors.kap : null;
    const r = await trainTarget({
      model,
      // Every method sees the same batches in the same order.
      batches: targetBatches(labelled, c.target.batchSize, rng.fork('target-batches'), task.labelScale),
      prior,
      taskLoss: task.taskLoss,
      config: { steps: c.target.steps, lr: c.target.lr, optimizer: { kind: 'adam' }, evalEvery: Math.max(1, Math.floor(c.target.steps / 5)) },
      validate: () => score(model, target.val, task),
      ...(i.onProgress ? { onProgress: (e) => i.onProgress!({ ...e, stage: `target ${method}` }) } : {}),
    });
    const pred = predictAll(target.test.weak, target.test.n, (x) => model.forward([x], { training: false }).output);
    out[method] = { score: task.metric(pred, target.test.label!), val: r.bestVal ?? Number.NaN, details: task.details(pred, target.test.label!), curve: r.curve };
    if (method === 'kap' && i.keepKap) await i.keepKap(model, labelled);
    model.dispose();
  }
  return out;
};
