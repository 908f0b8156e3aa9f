/**
 * EmotionKD's multi-level loss: e1·CE(y, p_S) + e2·KL(p_T ‖ p_S) + e3·MSE(P(h_S), h_T), defaults
 * (1, 0.1, 1), teacher terms held constant.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkSameShape } from './checks.js';
import { stopGradient } from './stopGradient.js';
import { softmaxCrossEntropy } from './taskLosses.js';

export interface MultiLevelWeights {
  readonly e1: number;
  readonly e2: number;
  readonly e3: number;
}

export const multiLevelLoss = (
  zS: tf.Tensor2D,
  zT: tf.Tensor2D,
  projected: tf.Tensor,
  hT: tf.Tensor,
  labels: tf.Tensor,
  w: MultiLevelWeights = { e1: 1, e2: 0.1, e3: 1 },
): tf.Scalar => {
  checkSameShape('multi-level KL', zS, zT);
  checkSameShape('multi-level MSE', projected, hT);
  const ce = softmaxCrossEntropy(zS, labels);
  const lt = tf.logSoftmax(stopGradient(zT));
  const kl = tf.mean(tf.sum(tf.mul(tf.exp(lt), tf.sub(lt, tf.logSoftmax(zS))), 1));
  const mse = tf.mean(tf.square(tf.sub(projected, stopGradient(hT))));
  return tf.addN([tf.mul(ce, w.e1), tf.mul(kl, w.e2), tf.mul(mse, w.e3)]) as tf.Scalar;
};
