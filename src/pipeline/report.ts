/** The report.json contract of DESIGN.md (camelCase), plus the curves the HTML report plots. */
import type { CurvePoint } from '../train/trainLoop.js';
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
  readonly scenario: string;
  readonly seeds: number[];
  readonly preset: string;
  readonly source: { readonly metric: string; readonly higherIsBetter: boolean; readonly teacher: number; readonly studentNoKd: number; readonly studentKd: number; readonly perSeed: Record<string, number[]> };
  readonly target: {
    readonly metric: string;
    readonly higherIsBetter: boolean;
    readonly labelled: number;
    readonly methods: Record<string, MethodSummary>;
    /** The same methods on the target validation split (best during training): where hyper-parameters are chosen. */
    readonly validation: Record<string, MethodSummary>;
    readonly details: Record<string, Record<string, number>>;
  };
  /** Target metric by labelled-set size, on the first seed. */
  readonly learningCurve: { readonly sizes: number[]; readonly seed: number; readonly methods: Record<string, number[]> };
  readonly compression: {
    readonly float: { readonly bytes: number; readonly metric: number };
    readonly int8: { readonly bytes: number; readonly metric: number };
    readonly mixed?: { readonly bytes: number; readonly metric: number; readonly int4Layers: string[] };
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
    readonly options?: { readonly id: string; readonly bytes: number; readonly latencyMs: number; readonly val: number; readonly test: number }[];
  };
  readonly deployment: DeploymentEntry[];
  /** The fused superior + weak deployment on the source, where both modalities exist (skip and alignment substitution). */
  readonly multiModal?: MultiModalReport;
  readonly latencyMeasuredOn: string;
  readonly curves: { readonly source: Record<string, CurvePoint[]>; readonly target: Record<string, CurvePoint[]>; readonly kapMeta: number[] };
  readonly timings: { readonly totalS: number; readonly stages: Record<string, number> };
  readonly notes: string[];
}

/** Mean, sample standard deviation and the values. */
export const summarize = (xs: number[]): MethodSummary => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, perSeed: xs };
};
