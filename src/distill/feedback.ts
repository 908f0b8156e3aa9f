/**
 * EmotionKD's feedback schedule (docs/methods.md §1): after each teaching step (the student trained with
 * the multi-level loss), a temporary copy c of the student takes one distillation step from the
 * teacher T, c′ = c − η ∇_c KD(c, T); then the teacher is updated with CE(y, p_T) + CE(y, p_c′), so that
 * it teaches in a way the student can follow.
 * ∇_T CE(y, p_c′) = −η (∂²KD/∂T∂c) · g with g = ∇_c CE(y, p_c′): a mixed Hessian-vector product, taken by
 * central finite differences of ∇_T KD along g (as DARTS does), which needs only first-order gradients.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import type { Model } from '../nn/model.js';
import { createOptimizer } from '../train/optimizer.js';
import type { BatchSource, SourceBatch } from './batches.js';

export interface FeedbackOptions {
  readonly student: Model;
  readonly teacher: Model;
  readonly batches: BatchSource<SourceBatch>;
  /** The student's loss given its output, the teacher's output and the batch (EmotionKD multi-level). */
  readonly studentLoss: (
    studentOut: tf.Tensor2D,
    teacherOut: tf.Tensor2D,
    teacherFeature: tf.Tensor2D,
    studentFeature: tf.Tensor2D,
    label: tf.Tensor,
  ) => tf.Scalar;
  /** KD(c, T) used for the copy's step, as a function of the two outputs. */
  readonly kd: (studentOut: tf.Tensor2D, teacherOut: tf.Tensor2D) => tf.Scalar;
  /** CE(y, logits). */
  readonly ce: (logits: tf.Tensor2D, label: tf.Tensor) => tf.Scalar;
  readonly steps: number;
  readonly studentLr: number;
  readonly teacherLr: number;
  /** The copy's step size η. */
  readonly copyLr: number;
  readonly onProgress?: ProgressSink;
}

const gradsOf = (f: () => tf.Scalar, vars: readonly tf.Variable[]): { value: number; grads: tf.Tensor[] } => {
  const { value, grads } = tf.variableGrads(f, vars as tf.Variable[]);
  const v = value.dataSync()[0]!;
  value.dispose();
  return { value: v, grads: vars.map((x) => grads[x.name]!) };
};

const shift = (vars: readonly tf.Variable[], dirs: readonly tf.Tensor[], by: number): void =>
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.add(v, tf.mul(dirs[i]!, by)))));

type FeedbackParts = Pick<FeedbackOptions, 'student' | 'teacher' | 'kd' | 'ce' | 'copyLr'>;

/**
 * ∇_T CE(y, p_c′(T)) with c′ = c − η ∇_c KD(c, T), c the student's current weights (left unchanged),
 * and the copy's loss CE(y, p_c′).
 */
export const copyFeedbackGradient = (
  o: FeedbackParts,
  weak: tf.Tensor,
  superior: tf.Tensor,
  label: tf.Tensor,
): { grads: tf.Tensor[]; copyLoss: number } => {
  const sVars = o.student.variables;
  const tVars = o.teacher.variables;
  const kd = () =>
    o.kd(
      o.student.forward([weak], { training: false }).output,
      o.teacher.forward([superior], { training: false }).output,
    );
  const saved = sVars.map((v) => tf.clone(v));
  try {
    const kdStep = gradsOf(kd, sVars);
    shift(sVars, kdStep.grads, -o.copyLr);
    tf.dispose(kdStep.grads);
    const g = gradsOf(() => o.ce(o.student.forward([weak], { training: false }).output, label), sVars);
    sVars.forEach((v, i) => v.assign(saved[i]!));
    const gNorm = Math.sqrt(g.grads.reduce((a, t) => a + tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]!), 0));
    const eps = 1e-2 / Math.max(gNorm, 1e-12);
    shift(sVars, g.grads, eps);
    const plus = gradsOf(kd, tVars);
    shift(sVars, g.grads, -2 * eps);
    const minus = gradsOf(kd, tVars);
    const grads = plus.grads.map((p, i) => tf.tidy(() => tf.mul(tf.sub(p, minus.grads[i]!), -o.copyLr / (2 * eps))));
    tf.dispose([...g.grads, ...plus.grads, ...minus.grads]);
    return { grads, copyLoss: g.value };
  } finally {
    sVars.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
  }
};

/** Runs the teach / copy / feedback schedule for `steps` steps. */
export const trainWithFeedback = async (
  o: FeedbackOptions,
): Promise<{ studentLosses: number[]; teacherLosses: number[] }> => {
  if (!Number.isInteger(o.steps) || o.steps < 1)
    throw kapriError('InvalidConfig', `feedback steps must be a positive integer, got ${o.steps}`);
  const progress = o.onProgress ?? silentProgress;
  const sVars = o.student.variables;
  const tVars = o.teacher.variables;
  const sOpt = createOptimizer({ kind: 'adam' }, sVars);
  const tOpt = createOptimizer({ kind: 'adam' }, tVars);
  const studentLosses: number[] = [];
  const teacherLosses: number[] = [];
  try {
    for (let step = 0; step < o.steps; step++) {
      const b = o.batches(step);
      if (!b.label) throw kapriError('InvalidData', `the feedback schedule needs labels; batch ${step} has none`);
      const label = b.label;
      // 1. teaching step on the student
      const s = gradsOf(() => {
        const t = o.teacher.forward([b.superior], { training: false });
        const st = o.student.forward([b.weak], { training: true });
        return o.studentLoss(st.output, t.output, t.feature, st.feature, label);
      }, sVars);
      if (!Number.isFinite(s.value))
        throw kapriError('NumericalError', `feedback: the student loss became ${s.value} at step ${step}`, { step });
      sOpt.step(s.grads, o.studentLr);
      tf.dispose(s.grads);
      // 2–3. the copy's step and the feedback gradient through it
      const fb = copyFeedbackGradient(o, b.weak, b.superior, label);
      // 4. teacher update: CE(y, p_T) + the feedback term
      const t = gradsOf(() => o.ce(o.teacher.forward([b.superior], { training: true }).output, label), tVars);
      const total = t.grads.map((gt, i) => tf.tidy(() => tf.add(gt, fb.grads[i]!)));
      tOpt.step(total, o.teacherLr);
      tf.dispose([...t.grads, ...fb.grads, ...total, b.weak, b.superior, label]);
      studentLosses.push(s.value);
      teacherLosses.push(t.value + fb.copyLoss);
      if ((step + 1) % Math.max(1, Math.floor(o.steps / 10)) === 0 || step === o.steps - 1) {
        progress({ stage: 'feedback', step: step + 1, total: o.steps, message: `student ${s.value.toFixed(4)}` });
        await new Promise((r) => setTimeout(r, 0));
      }
    }
  } finally {
    sOpt.dispose();
    tOpt.dispose();
  }
  return { studentLosses, teacherLosses };
};
