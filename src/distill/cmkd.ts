/**
 * Single-student cross-modal distillation on the source (docs/methods.md §1):
 *   L_CMKD(θ) = L_task(θ) + λ_kd · KD(z_S, z_T) + λ_feat · d(P(h_S), h_T),
 * with the teacher frozen (its forward pass is outside the trained variables, so no gradient reaches it).
 * The same objective is the outer loss of the KaP meta-learning, hence `cmkdObjective`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { ProgressSink } from '../core/progress.js';
import { stateVariables, type Model } from '../nn/model.js';
import { trainLoop, type TrainConfig, type TrainResult } from '../train/trainLoop.js';
import type { BatchSource, SourceBatch } from './batches.js';
import type { Projection } from './projection.js';

export interface CmkdLosses {
  /** Task loss against labels (skipped for unlabelled batches). */
  readonly task: (studentOut: tf.Tensor2D, label: tf.Tensor) => tf.Scalar;
  /** Output-level KD (logit KD, soft CE or regression KD). */
  readonly kd?: (studentOut: tf.Tensor2D, teacherOut: tf.Tensor2D) => tf.Scalar;
  /** Feature alignment d(P(h_S), h_T). */
  readonly align?: (projected: tf.Tensor, teacherFeature: tf.Tensor) => tf.Scalar;
  readonly lambdaKd: number;
  readonly lambdaFeat: number;
}

export interface CmkdParts {
  readonly student: Model;
  readonly teacher: Model;
  readonly projection: Projection;
  readonly losses: CmkdLosses;
}

const checkLambdas = (l: CmkdLosses): void => {
  for (const [k, v] of [
    ['lambdaKd', l.lambdaKd],
    ['lambdaFeat', l.lambdaFeat],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) throw kapriError('InvalidConfig', `${k} must be a finite number ≥ 0, got ${v}`);
  }
};

/** L_CMKD on one source batch (call inside a gradient tape over the student's variables). */
export const cmkdObjective = (p: CmkdParts, b: SourceBatch): tf.Scalar => {
  const t = p.teacher.forward([b.superior], { training: false });
  const s = p.student.forward([b.weak], { training: true });
  const terms: tf.Tensor[] = [];
  if (b.label) terms.push(p.losses.task(s.output, b.label));
  if (p.losses.kd && p.losses.lambdaKd > 0) terms.push(tf.mul(p.losses.kd(s.output, t.output), p.losses.lambdaKd));
  if (p.losses.align && p.losses.lambdaFeat > 0)
    terms.push(tf.mul(p.losses.align(p.projection.apply(s.feature), t.feature), p.losses.lambdaFeat));
  if (terms.length === 0)
    throw kapriError(
      'InvalidConfig',
      'the CMKD objective has no term: an unlabelled batch needs a KD or alignment loss',
    );
  return (terms.length === 1 ? terms[0]! : tf.addN(terms)) as tf.Scalar;
};

export interface CmkdOptions extends CmkdParts {
  /** Labelled batches: one supervised step each, as the student trained alone takes. */
  readonly batches: BatchSource<SourceBatch>;
  /**
   * Unlabelled pairs (optional): each step adds their KD and alignment terms to the labelled batch's
   * loss, so unlabelled pairs add distillation without taking supervised steps away (docs/methods.md §1).
   */
  readonly unlabelledBatches?: BatchSource<SourceBatch>;
  readonly config: TrainConfig;
  readonly validate?: () => number;
  readonly higherIsBetter?: boolean;
  readonly onProgress?: ProgressSink;
}

/** Trains the student and the projection with L_CMKD (one step per labelled batch); the teacher stays frozen. */
export const trainCmkd = async (o: CmkdOptions): Promise<TrainResult> => {
  checkLambdas(o.losses);
  return trainLoop({
    variables: [...o.student.variables, ...o.projection.variables],
    state: stateVariables(o.student),
    loss: (step) => {
      const labelled = cmkdObjective(o, o.batches(step));
      return o.unlabelledBatches
        ? (tf.add(labelled, cmkdObjective(o, o.unlabelledBatches(step))) as tf.Scalar)
        : labelled;
    },
    config: o.config,
    ...(o.validate ? { validate: o.validate } : {}),
    ...(o.higherIsBetter !== undefined ? { higherIsBetter: o.higherIsBetter } : {}),
    stage: 'cmkd',
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
};
