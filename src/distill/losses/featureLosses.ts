/**
 * Feature alignment d(P(h_S), stopgrad h_T) (docs/methods.md §1) with a registered distance (registry.ts):
 * built in, squared L2 (mean over the batch of the squared norm of the difference) or 1 − cosine
 * similarity (batch mean). Takes the projected feature.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { checkSameShape } from './checks.js';
import { alignDistanceRegistry } from './registry.js';
import { stopGradient } from './stopGradient.js';

/** The name of a registered alignment distance ('l2', 'cosine' built in). */
export type AlignDistance = string;

/**
 * λ · d(P(h_S), h_T) over the flattened features, the teacher's side held constant.
 *
 * @example
 * featureAlign(projection.apply(hS), hT, 'cosine'); // a scalar in [0, 2]
 */
export const featureAlign = (
  projected: tf.Tensor,
  hT: tf.Tensor,
  distance: AlignDistance = 'l2',
  lambda = 1,
): tf.Scalar => {
  checkSameShape('feature alignment', projected, hT);
  if (!Number.isFinite(lambda) || lambda < 0)
    throw kapriError('InvalidArgument', `alignment weight must be ≥ 0, got ${lambda}`);
  const d = alignDistanceRegistry.get(distance);
  const b = projected.shape[0]!;
  const s = tf.reshape(projected, [b, -1]) as tf.Tensor2D;
  const t = tf.reshape(stopGradient(hT), [b, -1]) as tf.Tensor2D;
  return tf.mul(d.distance(s, t), lambda) as tf.Scalar;
};
