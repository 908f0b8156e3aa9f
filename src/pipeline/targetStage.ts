/**
 * The target stage (docs/methods.md §2): with only the target's weak modality and a few labels, train the
 * student every way with the same step budget, batches and seed: `scratch` (fresh weights), `finetune`
 * (from θ_src, no prior), and from θ_src with each registered prior family (src/priors/registry.ts;
 * built in: `l2sp`, `fisher`, `kap` and `kapFixed`, the KaP prior with meta-learning switched off: φ at
 * its initial value). Each prior is trained at
 * every strength of one grid (docs/methods.md §6: equal tuning); the strength is chosen later on the target
 * validation split. The priors are learned on the source before this stage sees any target data; the
 * target trainer itself cannot take a teacher.
 */
import { kapriError } from '../core/errors.js';
import type { ProgressSink } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { subsetTarget, type PairedSource, type Target } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import type { CmkdParts } from '../distill/cmkd.js';
import { copyWeights, snapshotModel, type Model } from '../nn/model.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import { atStrength, type Prior } from '../priors/prior.js';
import type { LearnedPrior, PriorLearningContext } from '../priors/priorFamily.js';
import { priorNames, priorRegistry } from '../priors/registry.js';
import { trainTarget } from '../priors/targetTraining.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { Config } from './config.js';
import { modelFor } from './models.js';
import { isBetter, type TaskSpec } from './taskSpec.js';
import { predictAll, sourceBatches, targetBatches } from './tensorBatches.js';

/** A target-stage method: `scratch`, `finetune`, or a registered prior family's name. */
export type Method = string;
/** The methods without a prior: trained from fresh weights and from θ_src. */
export const PLAIN_METHODS = ['scratch', 'finetune'] as const;

/**
 * The target stage's methods: the plain ones, then every registered prior family (src/priors/registry.ts)
 * in registration order (built in: l2sp, fisher, kap, kapFixed), which is the order of report.json
 * `target.methods`. A function, not a constant: a family registered later is a method too.
 *
 * @example
 * targetMethods(); // ['scratch', 'finetune', 'l2sp', 'fisher', 'kap', 'kapFixed']
 */
export const targetMethods = (): readonly Method[] => [...PLAIN_METHODS, ...priorNames()];

/** The methods that carry a prior, tuned over the strength grid: the registered prior families. */
export const priorMethods = (): readonly Method[] => priorNames();

/** The priors learned on the source, at unit strength (`atStrength` sets λ). */
export interface Priors {
  /** By prior method (every registered family). */
  readonly byMethod: Readonly<Record<Method, Prior>>;
  readonly kapMetaLosses: number[];
  readonly kapStats: MetaLearnStats;
}

/**
 * Learns every registered prior family on the source from the distilled student θ_src, each from
 * θ_src. The student is handed back unchanged, batch-norm statistics included (the Fisher and the
 * meta-learning run forward passes in training mode).
 */
export const learnPriors = async (
  parts: CmkdParts,
  source: { train: PairedSource; val: PairedSource },
  task: TaskSpec,
  c: Config,
  rng: Rng,
  onProgress?: ProgressSink,
): Promise<Priors> => {
  const snapshot = snapshotModel(parts.student);
  const ctx: PriorLearningContext = {
    parts,
    source,
    config: c,
    batches: (d, batchSize, r) => sourceBatches(d, batchSize, r, task.labelScale),
    rng,
    ...(onProgress ? { onProgress } : {}),
  };
  const learned: Record<Method, LearnedPrior> = {};
  try {
    for (const name of priorNames()) {
      learned[name] = await priorRegistry.get(name).learn(ctx);
      snapshot.restore();
    }
  } finally {
    snapshot.restore();
    snapshot.dispose();
  }
  // report.json `priors.kap` and the outer-loss plot are KaP's (docs/contracts.md).
  const kap = learned['kap']?.metaLearning;
  if (!kap) throw kapriError('Unsupported', "the 'kap' prior family is missing or did not record its meta-learning");
  return {
    byMethod: Object.fromEntries(Object.entries(learned).map(([m, l]) => [m, l.prior])),
    kapMetaLosses: kap.losses,
    kapStats: kap.stats,
  };
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
  /** The priors at unit strength, by method (only `byMethod` is read: `kapri target` has one prior, loaded). */
  readonly priors: Pick<Priors, 'byMethod'>;
  readonly task: TaskSpec;
  readonly config: Config;
  readonly labelled: number;
  readonly rng: Rng;
  readonly methods?: readonly Method[];
  readonly onProgress?: ProgressSink;
  /**
   * Keep the trained `kap` model at the strength best on this seed's target validation split (e.g.
   * to compress and deploy it): it is returned, and the caller owns and disposes it.
   */
  readonly keepKap?: boolean;
  /** The method whose best model `keepKap` keeps (default `kap`). */
  readonly keepMethod?: Method;
}

/** A trained model handed to the caller, with the labelled subset it saw. */
export interface KeptModel {
  readonly model: Model;
  readonly labelled: Target;
}

export interface TargetStageOutput {
  /** By method, one result per strength of the grid (one for scratch and finetune). */
  readonly results: Record<Method, MethodResult[]>;
  /** The best `kap` model when `keepKap` was asked for (the caller disposes it), else null. */
  readonly kept: KeptModel | null;
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
 * result for scratch and finetune), and the best `kap` model when asked to keep it.
 */
export const runTargetStage = async (i: TargetStageInput): Promise<TargetStageOutput> => {
  const { target, task, config: c, rng } = i;
  const priorOf = (method: Method): Prior | null => {
    if (!priorRegistry.has(method)) return null;
    const p = i.priors.byMethod[method];
    if (!p)
      throw kapriError('InvalidConfig', `no prior was learned for method '${method}' (registered after learnPriors?)`);
    return p;
  };
  const idx = labelledSubset(target.train.n, i.labelled, rng.fork('labelled'));
  const labelled = subsetTarget(target.train, idx);
  const out = {} as Record<Method, MethodResult[]>;
  const done: { method: Method; prior: Prior; result: MethodResult }[] = [];
  let bestKap: { model: Model; val: number } | null = null;
  try {
    for (const method of i.methods ?? targetMethods()) {
      const unit = priorOf(method);
      const strengths: (number | null)[] = unit ? [...c.prior.strengths] : [null];
      const results: MethodResult[] = [];
      out[method] = results;
      for (const strength of strengths) {
        const prior = unit && strength !== null ? atStrength(unit, strength) : null;
        const twin = prior ? done.find((d) => samePrior(d.prior, prior)) : undefined;
        if (twin) {
          results.push({ ...twin.result, sameAs: twin.method });
          continue;
        }
        const model = modelFor(
          i.studentSrc.name,
          labelled.weak.shape,
          c.student,
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
        results.push(result);
        if (prior) done.push({ method, prior, result });
        if (
          method === (i.keepMethod ?? 'kap') &&
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
  } catch (e) {
    bestKap?.model.dispose();
    throw e;
  }
  return { results: out, kept: bestKap ? { model: bestKap.model, labelled } : null };
};
