/**
 * The fused deployment's QModels, each on a kernel executor: every encoder in int8 and in mixed 8/4
 * (int4 where the Fisher-weighted error per byte is smallest), encoder only, and the head in int8. Each
 * encoder is calibrated on the first labelled pairs, the head on the first dropout rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CalibrationMethod } from '../../compress/calibration.js';
import { exportQModel } from '../../compress/exportQModel.js';
import type { Labels, PairedSource } from '../../data/dataset.js';
import type { KernelModule } from '../../kernels/loader.js';
import type { Model } from '../../nn/model.js';
import type { Executor } from '../../runtime/executor.js';
import { kernelExecutorFromBytes } from '../../runtime/kernelExecutor.js';
import { chooseInt4Layers, cyclingBatches } from '../mixedPrecision.js';
import type { TaskSpec } from '../taskSpec.js';
import { firstRows } from '../tensorBatches.js';
import type { Releasable } from './disposables.js';
import { FUSED_ORDER, type ExportedOption } from './slots.js';
import type { PerSlot } from './types.js';

/** A QModel on the kernels, and its size in bytes. */
export interface Exported {
  readonly exe: Executor;
  readonly bytes: number;
}

/** Each encoder's exported options. */
export type EncoderExports = PerSlot<Readonly<Record<ExportedOption, Exported>>>;

/** How to export: calibration, the mixed-precision budget and the kernels to run on. */
export interface ExportSettings {
  readonly kernels: KernelModule;
  readonly calibrationMethod: CalibrationMethod;
  /** Calibration pairs (at most the labelled pairs). */
  readonly calibrationSamples: number;
  readonly mixedBytesRatio: number;
  readonly task: TaskSpec;
}

/** Registers an executor for release (disposables.ts). */
type Keep = <T extends Releasable>(x: T) => T;

/** An executor of `bytes` on the kernels, registered with `keep` before anything else can fail. */
const executorOf = (bytes: Uint8Array, s: ExportSettings, keep: Keep): Exported => ({
  exe: keep(kernelExecutorFromBytes(bytes, s.kernels)),
  bytes: bytes.length,
});

/** Each encoder in int8 and mixed 8/4; the mixed choice learns from the labelled pairs' Fisher. */
export const exportEncoders = (
  encoders: PerSlot<Model>,
  labelled: PairedSource & { readonly label: Labels },
  s: ExportSettings,
  keep: Keep,
): EncoderExports => {
  const out = {} as Record<(typeof FUSED_ORDER)[number], Record<ExportedOption, Exported>>;
  for (const m of FUSED_ORDER) {
    const model = encoders[m];
    const modality = labelled[m];
    const batches = cyclingBatches(modality, labelled.label, labelled.n, s.task.labelScale);
    const encoderLayer = (layer: string) => layer.startsWith('encoder0/');
    const calib = firstRows(modality, s.calibrationSamples);
    try {
      const int4Layers = chooseInt4Layers(model, batches, s.task, s.mixedBytesRatio, encoderLayer);
      const int8 = exportQModel(model, calib, { calibration: s.calibrationMethod, encoderOnly: true });
      const mixed = exportQModel(model, calib, { calibration: s.calibrationMethod, encoderOnly: true, int4Layers });
      out[m] = { int8: executorOf(int8, s, keep), 'mixed-8/4': executorOf(mixed, s, keep) };
    } finally {
      calib.dispose();
    }
  }
  return out;
};

/**
 * The head in int8, calibrated on the first 3 × calibrationSamples dropout rows (`d` floats each).
 * Those rows begin with the both-real view, then the substituted ones when there are few pairs.
 */
export const exportHead = (fused: Model, dropout: Float32Array, d: number, s: ExportSettings, keep: Keep): Exported => {
  const n = Math.min(dropout.length / d, 3 * s.calibrationSamples);
  const calib = tf.tensor2d(dropout.subarray(0, n * d), [n, d]);
  try {
    return executorOf(exportQModel(fused, calib, { calibration: s.calibrationMethod }), s, keep);
  } finally {
    calib.dispose();
  }
};
