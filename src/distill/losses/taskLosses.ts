/** Task losses: softmax cross-entropy with class ids, and mean squared error for regression. */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { checkSameShape } from './checks.js';

/** Mean over the batch of −log softmax(z)[y], y as int32 class ids [B]. */
export const softmaxCrossEntropy = (logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar => {
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0])
    throw kapriError('InvalidShape', `cross-entropy: ${labels.shape[0]} labels for ${logits.shape[0]} rows of logits`);
  const onehot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.cast(onehot, 'float32'), tf.logSoftmax(logits)), 1))) as tf.Scalar;
};

/** Mean squared error over every element. */
export const meanSquaredError = (pred: tf.Tensor, target: tf.Tensor): tf.Scalar => {
  checkSameShape('mean squared error', pred, target);
  return tf.mean(tf.square(tf.sub(pred, target))) as tf.Scalar;
};
