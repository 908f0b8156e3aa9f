import type * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';

/** Equal shapes of two tensors a loss compares. */
export const checkSameShape = (loss: string, a: tf.Tensor, b: tf.Tensor): void => {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw kapriError('InvalidShape', `${loss}: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] must match`);
  }
};

/** A temperature must be finite and > 0. */
export const checkTemperature = (tau: number): void => {
  if (!Number.isFinite(tau) || tau <= 0)
    throw kapriError('InvalidArgument', `the distillation temperature must be a finite number > 0, got ${tau}`);
};
