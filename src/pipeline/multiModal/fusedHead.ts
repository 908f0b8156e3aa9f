/**
 * The fused head: an MLP over both features concatenated, trained on the labelled pairs with modality
 * dropout (fusedRows.ts) and early-stopping on the validation pairs with both features real.
 */
import type { ProgressSink } from '../../core/progress.js';
import type { Rng } from '../../core/rng.js';
import type { Labels } from '../../data/dataset.js';
import { headSpec } from '../../nn/architectures.js';
import { createModel, stateVariables, type Model } from '../../nn/model.js';
import { trainLoop, type TrainResult } from '../../train/trainLoop.js';
import type { TaskSpec } from '../taskSpec.js';
import { labelRows, predictAll, rows } from '../tensorBatches.js';
import type { FusedViews } from './fusedRows.js';
import type { MultiModalReport } from './types.js';

/** A fresh fused head over rows of `d` floats (both features), initialised from `rng`; the caller disposes it. */
export const createFusedHead = (d: number, outputs: number, rng: Rng): Model =>
  createModel(
    'fused',
    [{ name: 'fused-input', inputShape: [d], layers: [] }],
    (f) => headSpec({ featureDim: f, outputs, hidden: Math.max(32, 2 * f), name: 'fused-head' }),
    rng,
  );

/** The head's metric in float over row-major rows of `d` floats against their labels. */
export const floatMetric = (fused: Model, task: TaskSpec, x: Float32Array, d: number, labels: Labels): number =>
  task.metric(
    predictAll({ data: x, shape: [d] }, x.length / d, (t) => fused.forward([t], { training: false }).output),
    labels,
  );

/** What the head trains on and how long. */
export interface FusedTraining {
  /** The dropout rows (3 × pairs), `d` floats each; row r takes the label of pair r mod pairs. */
  readonly rows: Float32Array;
  readonly d: number;
  readonly labels: Labels;
  readonly pairs: number;
  readonly steps: number;
  readonly higherIsBetter: boolean;
  /** Draws the batches' rows. */
  readonly rng: Rng;
  /** The metric early stopping watches (the validation pairs, both features real). */
  readonly validate: () => number;
  readonly onProgress?: ProgressSink;
}

/** Trains `fused` in place: Adam with a cosine schedule, batches of up to 64 rows drawn with replacement. */
export const trainFusedHead = (fused: Model, task: TaskSpec, t: FusedTraining): Promise<TrainResult> => {
  const total = t.rows.length / t.d;
  const batch = Math.min(64, total);
  return trainLoop({
    variables: fused.variables,
    state: stateVariables(fused),
    loss: () => {
      const idx = Array.from({ length: batch }, () => t.rng.int(total));
      const x = rows({ data: t.rows, shape: [t.d] }, idx);
      const y = labelRows(
        t.labels,
        idx.map((r) => r % t.pairs),
        task.labelScale,
      );
      return task.taskLoss(fused.forward([x], { training: true }).output, y);
    },
    config: {
      steps: t.steps,
      lr: 3e-3,
      optimizer: { kind: 'adam' },
      schedule: { kind: 'cosine', warmupSteps: Math.min(20, Math.floor(t.steps / 10)) },
      evalEvery: Math.max(1, Math.floor(t.steps / 5)),
    },
    validate: t.validate,
    higherIsBetter: t.higherIsBetter,
    stage: 'fused head',
    ...(t.onProgress ? { onProgress: t.onProgress } : {}),
  });
};

/** The head in float on each view of the same pairs (e.g. validation). */
export const floatValOf = (
  fused: Model,
  task: TaskSpec,
  v: FusedViews,
  d: number,
  labels: Labels,
): MultiModalReport['floatVal'] => ({
  both: floatMetric(fused, task, v.both, d, labels),
  superiorSubstituted: floatMetric(fused, task, v.superiorSubstituted, d, labels),
  weakSubstituted: floatMetric(fused, task, v.weakSubstituted, d, labels),
});
