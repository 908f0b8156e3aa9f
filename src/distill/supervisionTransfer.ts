/**
 * Supervision transfer (Gupta, Hoffman & Malik): first regress the student's projected feature onto the
 * frozen teacher's on paired data with no labels, ‖P(h_S) − h_T‖², then fine-tune on the labelled part
 * with the task loss.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ProgressSink } from '../core/progress.js';
import { stateVariables, type Model } from '../nn/model.js';
import { trainLoop, type TrainConfig, type TrainResult } from '../train/trainLoop.js';
import type { BatchSource, SourceBatch } from './batches.js';
import type { Projection } from './projection.js';
import { trainSupervised } from './trainTeacher.js';

export interface SupervisionTransferOptions {
  readonly student: Model;
  readonly teacher: Model;
  readonly projection: Projection;
  /** Paired batches (labels unused in the first phase). */
  readonly pairedBatches: BatchSource<SourceBatch>;
  /** Labelled batches for the fine-tune. */
  readonly labelledBatches: BatchSource<SourceBatch>;
  readonly align: (projected: tf.Tensor, teacherFeature: tf.Tensor) => tf.Scalar;
  readonly taskLoss: (output: tf.Tensor2D, label: tf.Tensor) => tf.Scalar;
  readonly transferConfig: TrainConfig;
  readonly finetuneConfig: TrainConfig;
  readonly onProgress?: ProgressSink;
}

export const trainSupervisionTransfer = async (
  o: SupervisionTransferOptions,
): Promise<{ transfer: TrainResult; finetune: TrainResult }> => {
  const transfer = await trainLoop({
    // The head gets no gradient from feature regression: train the encoder and the projection.
    variables: [...o.student.encoders.flatMap((e) => e.variables), ...o.projection.variables],
    state: stateVariables(o.student),
    loss: (step) => {
      const b = o.pairedBatches(step);
      const ht = o.teacher.forward([b.superior], { training: false }).feature;
      const hs = o.student.forward([b.weak], { training: true }).feature;
      return o.align(o.projection.apply(hs), ht);
    },
    config: o.transferConfig,
    stage: 'supervision transfer',
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const finetune = await trainSupervised({
    model: o.student,
    modality: 'weak',
    batches: o.labelledBatches,
    taskLoss: o.taskLoss,
    config: o.finetuneConfig,
    stage: 'fine-tune',
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  return { transfer, finetune };
};
