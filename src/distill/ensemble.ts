/**
 * The mutual-learning ensemble of Thoker & Gall (docs/methods.md §1): K students learn from the frozen
 * teacher and from each other, L_k = CE_teacher(z_k) + 1/(K−1) Σ_{j≠k} KL(stopgrad p_j ‖ p_k), with no
 * labels needed on the source. All K are trained jointly on Σ_k L_k (the stop-gradient keeps each L_k
 * on student k). Predictions average the K softmaxes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { ProgressSink } from '../core/progress.js';
import { stateVariables, type Model } from '../nn/model.js';
import { trainLoop, type TrainConfig, type TrainResult } from '../train/trainLoop.js';
import type { BatchSource, SourceBatch } from './batches.js';

export interface EnsembleOptions {
  readonly students: readonly Model[];
  readonly teacher: Model;
  readonly batches: BatchSource<SourceBatch>;
  /** The K per-student losses given the K students' logits and the teacher's (docs/methods.md §1). */
  readonly mutualLoss: (studentLogits: tf.Tensor2D[], teacherLogits: tf.Tensor2D) => tf.Scalar[];
  readonly config: TrainConfig;
  readonly validate?: () => number;
  readonly onProgress?: ProgressSink;
}

/** Trains the ensemble from teacher targets alone (labels, if present, are not used). */
export const trainEnsemble = async (o: EnsembleOptions): Promise<TrainResult> => {
  if (o.students.length < 2)
    throw kapriError('InvalidConfig', `a mutual-learning ensemble needs K ≥ 2 students, got ${o.students.length}`);
  return trainLoop({
    variables: o.students.flatMap((s) => s.variables),
    state: o.students.flatMap(stateVariables),
    loss: (step) => {
      const b = o.batches(step);
      const zt = o.teacher.forward([b.superior], { training: false }).output;
      const zs = o.students.map((s) => s.forward([b.weak], { training: true }).output);
      return tf.addN(o.mutualLoss(zs, zt)) as tf.Scalar;
    },
    config: o.config,
    ...(o.validate ? { validate: o.validate } : {}),
    stage: 'ensemble',
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
};

/** The ensemble's class probabilities: the mean of the K students' softmaxes. */
export const ensembleProbabilities = (students: readonly Model[], weak: tf.Tensor): tf.Tensor2D =>
  tf.tidy(
    () =>
      tf.div(
        tf.addN(students.map((s) => tf.softmax(s.forward([weak], { training: false }).output))),
        students.length,
      ) as tf.Tensor2D,
  );
