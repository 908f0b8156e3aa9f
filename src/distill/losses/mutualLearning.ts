/**
 * Mutual learning (Thoker & Gall): for K ≥ 2 students,
 *   L_k = CE_teacher(z_k) + 1/(K−1) Σ_{j≠k} KL(stopgrad p_j ‖ p_k),
 * CE_teacher being the cross-entropy to the teacher's hard labels (argmax z_T). Needs no labels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { hardCe } from './kdLosses.js';
import { stopGradient } from './stopGradient.js';

export const mutualLearningLosses = (zs: readonly tf.Tensor2D[], zT: tf.Tensor2D): tf.Scalar[] => {
  const k = zs.length;
  if (k < 2) throw kapriError('InvalidArgument', `mutual learning needs K ≥ 2 students, got ${k}`);
  const logp = zs.map((z) => tf.logSoftmax(z));
  return zs.map((z, i) => {
    const peers = logp
      .map((lj, j) =>
        j === i ? null : tf.mean(tf.sum(tf.mul(tf.exp(stopGradient(lj)), tf.sub(stopGradient(lj), logp[i]!)), 1)),
      )
      .filter((x): x is tf.Tensor => x !== null);
    return tf.add(hardCe(z, zT), tf.div(tf.addN(peers), k - 1)) as tf.Scalar;
  });
};
