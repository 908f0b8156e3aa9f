/**
 * What trainers consume: a function from step to a batch of tensors (drawn by the caller from a seeded
 * sampler). Trainers call it inside their loss, so its tensors are freed with the step.
 * The target side has no `superior` field at all: `TargetBatch` cannot carry a superior modality.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** A paired source batch: weak and superior modalities of the same samples, labels when available. */
export interface SourceBatch {
  readonly weak: tf.Tensor;
  readonly superior: tf.Tensor;
  /** [B] int32 class ids, or [B, D] float regression targets; absent for unlabelled pairs. */
  readonly label?: tf.Tensor;
}

/**
 * A target batch: the weak modality and labels, nothing else. `superior?: never` makes a batch that
 * carries a superior modality a type error, not just an unused field.
 */
export interface TargetBatch {
  readonly weak: tf.Tensor;
  readonly label: tf.Tensor;
  readonly superior?: never;
}

export type BatchSource<B> = (step: number) => B;
