/**
 * The multi-modal stage's input and its report (the `multiModal` section of report.json). The stage
 * module re-exports them, so callers import from `multiModalStage.ts`.
 */
import type { CalibrationMethod } from '../../compress/calibration.js';
import type { ProgressSink } from '../../core/progress.js';
import type { Rng } from '../../core/rng.js';
import type { PairedSource } from '../../data/dataset.js';
import type { KernelModule } from '../../kernels/loader.js';
import type { Model } from '../../nn/model.js';
import type { DeviceProfile } from '../../resource/deviceProfile.js';
import type { DeploymentEntry } from '../report.js';
import type { TaskSpec } from '../taskSpec.js';
import type { EncoderOption, Slot } from './slots.js';

/** One whole plan, measured. */
export interface MeasuredPlan {
  readonly choice: Record<Slot, EncoderOption>;
  readonly bytes: number;
  /** The sum of the parts' latencies (what the knapsack adds up), on this machine. */
  readonly latencyMs: number;
  /** The whole plan run on the multi-modal runtime (one sample, median of 21), on this machine. */
  readonly measuredLatencyMs: number;
  /** The knapsack's additive estimate of the validation metric. */
  readonly predictedVal: number;
  readonly val: number;
  readonly test: number;
}

/** The `multiModal` section of report.json. */
export interface MultiModalReport {
  /** Where the metrics come from: the source's validation and test splits (the target has no superior modality). */
  readonly split: 'source';
  readonly metric: string;
  readonly modalities: Record<Slot, string>;
  /** R² of each substituted feature on the source validation split (float features). */
  readonly alignmentR2: { readonly weakToSuperior: number; readonly superiorToWeak: number };
  /** The fused head in float on the validation split: both features real, and each substituted. */
  readonly floatVal: { readonly both: number; readonly superiorSubstituted: number; readonly weakSubstituted: number };
  readonly options: Record<Slot | 'head', { id: string; bytes: number; latencyMs: number; value: number }[]>;
  readonly plans: MeasuredPlan[];
  /** Per device, the governor's plan from the stored frontier; `metric` is the plan's source test metric. */
  readonly deployment: DeploymentEntry[];
  /** Median time of one governor update (re-plan from the frontier), microseconds. */
  readonly governorUpdateUs: number;
  readonly frontierSize: number;
}

export interface MultiModalInput {
  readonly teacher: Model;
  readonly student: Model;
  readonly source: { readonly train: PairedSource; readonly val: PairedSource; readonly test: PairedSource };
  /** The labelled pairs (the only source labels the head may learn from). */
  readonly labelled: PairedSource;
  readonly task: TaskSpec;
  readonly higherIsBetter: boolean;
  readonly metricName: string;
  readonly modalityNames: Record<Slot, string>;
  readonly devices: readonly DeviceProfile[];
  readonly kernels: KernelModule;
  readonly calibrationMethod: CalibrationMethod;
  readonly calibrationSamples: number;
  readonly mixedBytesRatio: number;
  readonly headSteps: number;
  readonly rng: Rng;
  readonly onProgress?: ProgressSink;
}

/** A value per slot (features, dimensions, alignments). */
export type PerSlot<A> = Readonly<Record<Slot, A>>;
