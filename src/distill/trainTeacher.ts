/**
 * Trains a model on one modality of the source with its task loss: the teacher on the superior
 * modality, or the no-distillation student baseline on the weak one.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ProgressSink } from '../core/progress.js';
import { stateVariables, type Model } from '../nn/model.js';
import { trainLoop, type TrainConfig, type TrainResult } from '../train/trainLoop.js';
import type { BatchSource, SourceBatch } from './batches.js';
import { kapriError } from '../core/errors.js';

export interface SupervisedOptions {
  readonly model: Model;
  readonly batches: BatchSource<SourceBatch>;
  /** Which modality feeds the model. */
  readonly modality: 'weak' | 'superior';
  /** Task loss of the model's output against the batch's labels. */
  readonly taskLoss: (output: tf.Tensor2D, label: tf.Tensor) => tf.Scalar;
  readonly config: TrainConfig;
  readonly validate?: () => number;
  readonly higherIsBetter?: boolean;
  readonly stage?: string;
  readonly onProgress?: ProgressSink;
}

/** Supervised training on the source's labels (labels required). */
export const trainSupervised = (o: SupervisedOptions): Promise<TrainResult> =>
  trainLoop({
    variables: o.model.variables,
    state: stateVariables(o.model),
    loss: (step) => {
      const b = o.batches(step);
      if (!b.label)
        throw kapriError(
          'InvalidData',
          `${o.stage ?? 'supervised training'} needs labelled source pairs; batch ${step} has no labels`,
        );
      const { output } = o.model.forward([b[o.modality]], { training: true });
      return o.taskLoss(output, b.label);
    },
    config: o.config,
    ...(o.validate ? { validate: o.validate } : {}),
    ...(o.higherIsBetter !== undefined ? { higherIsBetter: o.higherIsBetter } : {}),
    stage: o.stage ?? `train ${o.modality}`,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
