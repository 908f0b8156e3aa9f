/** Cosine alignment: the batch mean of 1 − cos(s, t), scale-free. */
import * as tf from '@tensorflow/tfjs-core';
import type { AlignDistanceDefinition } from '../alignDistance.js';

// The norm as sqrt(Σx² + ε): tf.norm's gradient at a zero row (a dead ReLU feature) is 0/0 = NaN.
const norm = (x: tf.Tensor) => tf.sqrt(tf.add(tf.sum(tf.square(x), 1), 1e-12));

export const cosineDistance: AlignDistanceDefinition = {
  name: 'cosine',
  description: '1 − cosine similarity, batch mean (scale-free)',
  distance: (s, t) =>
    tf.mean(tf.sub(1, tf.div(tf.sum(tf.mul(s, t), 1), tf.add(tf.mul(norm(s), norm(t)), 1e-8)))) as tf.Scalar,
};
