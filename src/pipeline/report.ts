/** The report.json contract of docs/contracts.md (camelCase), plus the curves the HTML report plots. */
import type { Comparison } from '../core/pairedStats.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { FileFingerprint } from '../core/sha256.js';
import type { Artifacts } from './artifacts.js';
import type { Config } from './config.js';
import type { GammaPoint } from './gammaSweep.js';
import type { PeakMemoryReport } from './jobMemory.js';
import type { MultiModalReport } from './multiModalStage.js';

export interface MethodSummary {
  readonly mean: number;
  readonly std: number;
  readonly perSeed: number[];
}

export interface DeploymentEntry {
  readonly device: string;
  readonly budget: { readonly memoryBytes: number; readonly latencyMs: number };
  readonly plan: Record<string, string>;
  readonly memoryBytes: number;
  readonly latencyMs: number;
  readonly metric: number;
  readonly fits: boolean;
}

export interface Report {
  /** The embedded scenario's name, or `data:MANIFEST` for a user's dataset (then `dataset` says which files). */
  readonly scenario: string;
  /** A run on a user's dataset: the manifest and every file read, with its bytes and SHA-256. */
  readonly dataset?: { readonly manifest: string; readonly files: FileFingerprint[] };
  readonly seeds: number[];
  readonly preset: string;
  /** The resolved configuration the run used. */
  readonly config: Config;
  /** What produced the numbers: kapri, Node, tfjs-core and the kernel build the deployed models ran on. */
  readonly versions: { readonly kapri: string; readonly node: string; readonly tfjs: string; readonly kernels: string };
  readonly source: {
    readonly metric: string;
    readonly higherIsBetter: boolean;
    readonly teacher: number;
    readonly studentNoKd: number;
    readonly studentKd: number;
    readonly perSeed: Record<string, number[]>;
    /** Best source-validation metric per seed (where λ_kd and λ_feat are chosen). */
    readonly validation: Record<string, number[]>;
    /** The KD and alignment weights chosen per seed on the source validation split, and every candidate's validation metric. */
    readonly distill: { readonly lambdaKd: number; readonly lambdaFeat: number }[];
    readonly distillCandidates: { readonly lambdaKd: number; readonly lambdaFeat: number; readonly val: number }[][];
    /** Steps each model ran per seed (early stopping within the cap). */
    readonly stepsRun: Record<string, number>[];
    /** studentKd against studentNoKd, paired over seeds (docs/methods.md §6). */
    readonly comparisons: Comparison[];
  };
  readonly target: {
    readonly metric: string;
    readonly higherIsBetter: boolean;
    readonly labelled: number;
    /** Test split, each prior at its chosen strength. */
    readonly methods: Record<string, MethodSummary>;
    /** The same methods on the target validation split (best during training): where hyper-parameters are chosen. */
    readonly validation: Record<string, MethodSummary>;
    /** Each prior's strength λ, chosen by the best mean target-validation metric over the seeds on one grid. */
    readonly chosen: Record<string, { readonly strength: number }>;
    /** Every strength of the grid: mean validation and test metric over seeds (sameAs: not re-run, the prior equals that method's). */
    readonly grid: Record<
      string,
      { readonly strength: number; readonly val: number; readonly test: number; readonly sameAs?: string }[]
    >;
    /** Every method against every other, paired over seeds, Holm across each method's baselines. */
    readonly comparisons: Comparison[];
    readonly details: Record<string, Record<string, number>>;
  };
  /** Whether the meta-learned prior learned: means over seeds, and each seed's. */
  readonly priors: { readonly kap: MetaLearnStats & { readonly perSeed: MetaLearnStats[] } };
  /** gauss with `data.gammaSweep`: the source stage at each γ and the KD gain, paired over seeds. */
  readonly gammaSweep?: GammaPoint[];
  /** Target metric by labelled-set size, on the first seed. */
  readonly learningCurve: {
    readonly sizes: number[];
    readonly seed: number;
    readonly methods: Record<string, number[]>;
  };
  readonly compression: {
    readonly float: { readonly bytes: number; readonly metric: number };
    readonly int8: { readonly bytes: number; readonly metric: number };
    readonly mixed?: { readonly bytes: number; readonly metric: number; readonly int4Layers: string[] };
    /**
     * The same student with conv and dense weights in the 7-bit form (the relaxed int8 kernels'),
     * on the test split: its metric against int8's is the accuracy cost of the relaxed path.
     */
    readonly int7?: { readonly bytes: number; readonly metric: number };
    /** The channel-pruned student after its short fine-tune, in float, int8 and mixed 8/4. */
    readonly pruned?: {
      readonly sparsity: number;
      readonly fineTuneSteps: number;
      readonly layers: { readonly layer: string; readonly before: number; readonly after: number }[];
      readonly float: { readonly bytes: number; readonly metric: number };
      readonly int8: { readonly bytes: number; readonly metric: number };
      readonly mixed: { readonly bytes: number; readonly metric: number; readonly int4Layers: string[] };
    };
    /** The deployment options of the weak modality: bytes with activations, latency here, validation and test metric. */
    readonly options?: {
      readonly id: string;
      readonly bytes: number;
      readonly latencyMs: number;
      readonly val: number;
      readonly test: number;
    }[];
  };
  readonly deployment: DeploymentEntry[];
  /** The files written with this report (model.kapri, one per device, the prior, the float networks): bytes and SHA-256. */
  readonly artifacts: Artifacts;
  /** The fused superior + weak deployment on the source, where both modalities exist (skip and alignment substitution). */
  readonly multiModal?: MultiModalReport;
  readonly latencyMeasuredOn: string;
  readonly curves: {
    readonly source: Record<string, CurvePoint[]>;
    readonly target: Record<string, CurvePoint[]>;
    readonly kapMeta: number[];
  };
  /** Measurements that vary from run to run (wall-clock, memory); left out when comparing reports. */
  readonly timings: RunTimings;
  readonly notes: string[];
}

/**
 * What report.html and the report flags read: a `kapri run` report, or a `kapri target` report,
 * which has no source stage, no meta-learned prior and no learning curve (those parts are left out).
 */
export type PageReport = Pick<
  Report,
  'seeds' | 'preset' | 'config' | 'versions' | 'target' | 'compression' | 'deployment' | 'latencyMeasuredOn' | 'notes'
> &
  Partial<Pick<Report, 'scenario' | 'source' | 'priors' | 'learningCurve' | 'gammaSweep' | 'multiModal'>> & {
    readonly kind?: 'target';
    readonly dataset?: { readonly manifest: string };
    readonly curves: {
      readonly source?: Report['curves']['source'];
      readonly target: Report['curves']['target'];
      readonly kapMeta?: number[];
    };
    readonly timings: { readonly totalS: number; readonly stages: Record<string, number> };
  };

/**
 * Measurements that vary from run to run: wall-clock (the total, the seeds run at once, each stage
 * summed over seeds) and the memory each seed's thread held at its peak (jobMemory.ts).
 */
export interface RunTimings {
  /** Wall-clock seconds of the whole run. */
  readonly totalS: number;
  /** Seeds run at once (`--jobs`). */
  readonly jobs: number;
  /** Seconds per stage, summed over seeds. */
  readonly stages: Record<string, number>;
  /** Each seed's thread at its peak, MiB. */
  readonly peakMemoryMb: PeakMemoryReport;
}

/** Mean, sample standard deviation and the values. */
export const summarize = (xs: number[]): MethodSummary => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, perSeed: xs };
};
