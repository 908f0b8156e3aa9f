/**
 * What a prior family registers (src/priors/registry.ts): how its prior is learned on the paired
 * source from the distilled student θ_src. Every family's prior is data of one shape (prior.ts), so
 * the target applies them all one way: at each strength λ of one grid (`atStrength`), its penalty
 * added to the task loss (targetTraining.ts), the strength chosen on the target validation split.
 * Each family is one file in `families/` and one line in the registry; its name is a target-stage
 * method and a key of report.json `target.methods`.
 */
import type { ProgressSink } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import type { PairedSource } from '../data/dataset.js';
import type { BatchSource, SourceBatch } from '../distill/batches.js';
import type { CmkdParts } from '../distill/cmkd.js';
import type { MetaLearnStats } from './metaLearn.js';
import type { Prior, PriorForm } from './prior.js';

/** The settings of KaP's meta-learning (config `prior.kap`, docs/methods.md §2). */
export interface KapLearningConfig {
  readonly form: PriorForm;
  readonly mu: 'source' | 'zero';
  readonly granularity: 'parameter' | 'tensor';
  readonly initWeight: number;
  readonly alpha: number;
  readonly beta: number;
  readonly steps: number;
  readonly innerSteps: number;
  readonly episode: number;
  readonly subset: number;
}

/** The part of a run's configuration the families read (the pipeline's `Config` is one). */
export interface PriorLearningConfig {
  readonly prior: {
    /** Parameter path prefixes the priors cover (`[]`: every parameter). */
    readonly layers: readonly string[];
    readonly fisherBatches: number;
    readonly kap: KapLearningConfig;
  };
  readonly student: { readonly batchSize: number };
  readonly target: { readonly batchSize: number; readonly lr: number };
}

export interface PriorLearningContext {
  /** θ_src (`parts.student`) with the frozen teacher, the projection and the CMKD losses. */
  readonly parts: CmkdParts;
  /** The labelled source pairs, and the held-out source validation split. */
  readonly source: { readonly train: PairedSource; readonly val: PairedSource };
  readonly config: PriorLearningConfig;
  /** Seeded mini-batches of a paired source, labels on the task's scale. */
  readonly batches: (d: PairedSource, batchSize: number, rng: Rng) => BatchSource<SourceBatch>;
  /** The run's prior stream: a family forks it by labels of its own, so families draw independently. */
  readonly rng: Rng;
  readonly onProgress?: ProgressSink;
}

export interface LearnedPrior {
  /** The prior at unit strength (`atStrength` scales it on the target). */
  readonly prior: Prior;
  /** A meta-learned family's record (report.json `priors.kap`, the outer-loss plot). */
  readonly metaLearning?: { readonly stats: MetaLearnStats; readonly losses: number[] };
}

export interface PriorFamilyDefinition {
  /** The registry key: the target-stage method and report.json `target.methods` key. */
  readonly name: string;
  /** What the family puts where, in one sentence. */
  readonly description: string;
  /**
   * Learns the prior from θ_src. It may run forward passes in training mode (batch-norm statistics
   * move); the caller restores the student before the next family and before the target.
   */
  readonly learn: (ctx: PriorLearningContext) => Promise<LearnedPrior> | LearnedPrior;
}
