/** Squared L2 alignment: the batch mean of ‖s − t‖². */
import * as tf from '@tensorflow/tfjs-core';
import type { AlignDistanceDefinition } from '../alignDistance.js';

export const l2Distance: AlignDistanceDefinition = {
  name: 'l2',
  description: 'squared L2: the batch mean of the squared norm of the difference',
  distance: (s, t) => tf.mean(tf.sum(tf.square(tf.sub(s, t)), 1)) as tf.Scalar,
};
