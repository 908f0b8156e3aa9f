/**
 * Training the student on the teacherless target (docs/methods.md §2):
 *   min_θ L_task(θ; D_t) + R(θ),  θ initialised from θ_src (the caller's model) or fresh.
 * The options have no field for a teacher, and a `TargetBatch` cannot hold a superior modality, so a
 * call that passes either does not compile (test/priors/targetTraining.types.test.ts).
 *
 * @example
 * await trainTarget({ model: student, batches: targetBatches, prior, taskLoss: mse, config });
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ProgressSink } from '../core/progress.js';
import type { BatchSource, TargetBatch } from '../distill/batches.js';
import { stateVariables, type Model } from '../nn/model.js';
import { trainLoop, type TrainConfig, type TrainResult } from '../train/trainLoop.js';
import { bindPrior, priorPenalty, type Prior } from './prior.js';

export interface TargetTrainingOptions {
  /** The student (already holding θ_src for finetune/prior methods, or fresh for scratch). */
  readonly model: Model;
  /** Target batches: weak modality and labels only. */
  readonly batches: BatchSource<TargetBatch>;
  /** The prior R(θ), or null for plain training (scratch, finetune). */
  readonly prior: Prior | null;
  readonly taskLoss: (output: tf.Tensor2D, label: tf.Tensor) => tf.Scalar;
  readonly config: TrainConfig;
  readonly validate?: () => number;
  readonly higherIsBetter?: boolean;
  readonly onProgress?: ProgressSink;
}

/** Trains on the target with the prior's penalty added to the task loss. */
export const trainTarget = async (o: TargetTrainingOptions): Promise<TrainResult> => {
  const bound = o.prior ? bindPrior(o.prior, o.model.params, o.model.name) : null;
  return trainLoop({
    variables: o.model.variables,
    state: stateVariables(o.model),
    loss: (step) => {
      const b = o.batches(step);
      const { output } = o.model.forward([b.weak], { training: true });
      const task = o.taskLoss(output, b.label);
      return o.prior && bound ? (tf.add(task, priorPenalty(o.prior, bound)) as tf.Scalar) : task;
    },
    config: o.config,
    ...(o.validate ? { validate: o.validate } : {}),
    ...(o.higherIsBetter !== undefined ? { higherIsBetter: o.higherIsBetter } : {}),
    stage: `target${o.prior ? ` (${o.prior.family})` : ''}`,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
};
