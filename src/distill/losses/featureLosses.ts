/**
 * Feature alignment d(P(h_S), stopgrad h_T) (METHODS.md §1): squared L2 (mean over the batch of the
 * squared norm of the difference) or 1 − cosine similarity (batch mean). Takes the projected feature.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { checkSameShape } from './checks.js';
import { stopGradient } from './stopGradient.js';

export type AlignDistance = 'l2' | 'cosine';

export const featureAlign = (
  projected: tf.Tensor,
  hT: tf.Tensor,
  distance: AlignDistance = 'l2',
  lambda = 1,
): tf.Scalar => {
  checkSameShape('feature alignment', projected, hT);
  if (!Number.isFinite(lambda) || lambda < 0)
    throw kapriError('InvalidArgument', `alignment weight must be ≥ 0, got ${lambda}`);
  const b = projected.shape[0]!;
  const s = tf.reshape(projected, [b, -1]);
  const t = tf.reshape(stopGradient(hT), [b, -1]);
  // The norm as sqrt(Σx² + ε): tf.norm's gradient at a zero row (a dead ReLU feature) is 0/0 = NaN.
  const norm = (x: tf.Tensor) => tf.sqrt(tf.add(tf.sum(tf.square(x), 1), 1e-12));
  const d =
    distance === 'l2'
      ? tf.mean(tf.sum(tf.square(tf.sub(s, t)), 1))
      : tf.mean(tf.sub(1, tf.div(tf.sum(tf.mul(s, t), 1), tf.add(tf.mul(norm(s), norm(t)), 1e-8))));
  return tf.mul(d, lambda) as tf.Scalar;
};
