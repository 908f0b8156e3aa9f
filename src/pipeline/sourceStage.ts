/**
 * The source stage (METHODS.md §1): a teacher on the superior modality, the weak-modality student
 * trained without distillation (the baseline), and the student trained with CMKD (task + KD +
 * feature alignment) from the same initial weights. Labels cover `sourceLabelled` of the pairs: the
 * teacher and the baseline learn from those; the CMKD student alternates labelled batches (task + KD +
 * alignment) with batches of all pairs (KD + alignment, no labels). Scores are on the source test split.
 */
import type { ProgressSink } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { subsetSource, type PairedSource } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import { trainCmkd } from '../distill/cmkd.js';
import { featureAlign } from '../distill/losses/featureLosses.js';
import { createProjection, type Projection } from '../distill/projection.js';
import { trainSupervised } from '../distill/trainTeacher.js';
import type { Model } from '../nn/model.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { Config } from './config.js';
import { modelFor } from './models.js';
import type { TaskSpec } from './taskSpec.js';
import { predictAll, sourceBatches } from './tensorBatches.js';

export interface SourceStageResult {
  readonly teacher: Model;
  readonly studentKd: Model;
  readonly projection: Projection;
  /** The labelled pairs (the only source labels later stages may use). */
  readonly labelled: PairedSource;
  /** Headline metric on the source test split. */
  readonly scores: { readonly teacher: number; readonly studentNoKd: number; readonly studentKd: number };
  readonly curves: Record<'teacher' | 'studentNoKd' | 'studentKd', CurvePoint[]>;
}

export interface SourceStageInput {
  readonly source: { readonly train: PairedSource; readonly val: PairedSource; readonly test: PairedSource };
  readonly task: TaskSpec;
  readonly config: Config;
  readonly rng: Rng;
  readonly onProgress?: ProgressSink;
}

/** Scores a model on one modality of a labelled source split. */
export const scoreOn = (model: Model, d: PairedSource, modality: 'weak' | 'superior', task: TaskSpec): number =>
  task.metric(predictAll(d[modality], d.n, (x) => model.forward([x], { training: false }).output), d.label!);

/** Even steps from `a`, odd steps from `b` (or every step from `a` without `b`). */
const alternate = <B>(a: (k: number) => B, b: ((k: number) => B) | null) => (k: number): B => (b === null ? a(k) : k % 2 === 0 ? a(k >> 1) : b(k >> 1));

export const runSourceStage = async (i: SourceStageInput): Promise<SourceStageResult> => {
  const { source, task, config: c, rng } = i;
  const progress = i.onProgress;
  const trainCfg = (t: Config['teacher']) => ({
    steps: t.steps,
    lr: t.lr,
    optimizer: { kind: 'adam' as const },
    schedule: { kind: 'cosine' as const, warmupSteps: Math.min(50, Math.floor(t.steps / 10)) },
    evalEvery: Math.max(1, Math.floor(t.steps / 5)),
  });
  const nl = Math.min(c.data.sourceLabelled, source.train.n);
  const labelled = subsetSource(source.train, labelledSubset(source.train.n, nl, rng.fork('source-labelled')));
  const { label: _unused, ...pairs } = source.train;
  /** Supervised training on the labelled pairs of one modality, validated on the source val split. */
  const supervised = (model: Model, modality: 'weak' | 'superior', t: Config['teacher'], batchesLabel: string, stage: string) =>
    trainSupervised({
      model,
      modality,
      batches: sourceBatches(labelled, t.batchSize, rng.fork(batchesLabel), task.labelScale),
      taskLoss: task.taskLoss,
      config: trainCfg(t),
      validate: () => scoreOn(model, source.val, modality, task),
      stage,
      ...(progress ? { onProgress: progress } : {}),
    });
  const teacher = modelFor('teacher', source.train.superior.shape, c.teacher.width, task.outputs, rng.fork('teacher-init'));
  const tr = await supervised(teacher, 'superior', c.teacher, 'teacher-batches', 'teacher');
  // Both students start from the same weights so that the comparison isolates distillation.
  const noKd = modelFor('student', source.train.weak.shape, c.student.width, task.outputs, rng.fork('student-init'));
  const nr = await supervised(noKd, 'weak', c.student, 'student-batches', 'student (no KD)');
  const studentNoKd = scoreOn(noKd, source.test, 'weak', task);
  noKd.dispose();
  const studentKd = modelFor('student', source.train.weak.shape, c.student.width, task.outputs, rng.fork('student-init'));
  const projection =
    c.distill.projection === 'lowRank'
      ? createProjection('lowRank', [studentKd.featureDim], [teacher.featureDim], rng.fork('projection'), c.distill.rank)
      : createProjection('linear', [studentKd.featureDim], [teacher.featureDim], rng.fork('projection'));
  const kr = await trainCmkd({
    student: studentKd,
    teacher,
    projection,
    losses: { task: task.taskLoss, kd: task.kdLoss, align: (p, h) => featureAlign(p, h, 'cosine'), lambdaKd: c.distill.lambdaKd, lambdaFeat: c.distill.lambdaFeat },
    batches: alternate(sourceBatches(labelled, c.student.batchSize, rng.fork('student-batches'), task.labelScale), nl < source.train.n ? sourceBatches(pairs, c.student.batchSize, rng.fork('pair-batches'), task.labelScale) : null),
    config: trainCfg(c.student),
    validate: () => scoreOn(studentKd, source.val, 'weak', task),
    ...(progress ? { onProgress: (e) => progress({ ...e, stage: 'student (CMKD)' }) } : {}),
  });
  const scores = { teacher: scoreOn(teacher, source.test, 'superior', task), studentNoKd, studentKd: scoreOn(studentKd, source.test, 'weak', task) };
  return { teacher, studentKd, projection, labelled, scores, curves: { teacher: tr.curve, studentNoKd: nr.curve, studentKd: kr.curve } };
};
