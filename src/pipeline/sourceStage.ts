/**
 * The source stage (docs/methods.md §1): a teacher on the superior modality, the weak-modality student
 * trained without distillation (the baseline), and the student trained with CMKD (task + KD +
 * feature alignment) from the same initial weights. Labels cover `sourceLabelled` of the pairs: the
 * teacher and the baseline learn from those. The comparison is fair: the CMKD student takes the same
 * supervised steps on the same labelled batches as the baseline, and the unlabelled pairs only add
 * KD and alignment terms to each step; every model trains until its validation metric stops
 * improving (patience), within the preset's cap; the KD and alignment weights are chosen among the
 * configured candidates on the source validation split. Scores are on the source test split.
 * A teacher given as outputs per sample (`givenTeacher`, a manifest's `teacherOutputs`) is not
 * trained: it is scored on the same splits as a trained one, and CMKD distils from its outputs.
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
import type { CurvePoint, TrainResult } from '../train/trainLoop.js';
import type { GivenTeacher } from '../data/manifest.js';
import { givenTeacher } from '../distill/givenTeacher.js';
import type { Config } from './config.js';
import { modelFor } from './models.js';
import { isBetter, type TaskSpec } from './taskSpec.js';
import { predictAll, sourceBatches } from './tensorBatches.js';

export interface SourceStageResult {
  readonly teacher: Model;
  readonly studentKd: Model;
  readonly projection: Projection;
  /** The labelled pairs (the only source labels later stages may use). */
  readonly labelled: PairedSource;
  /** Headline metric on the source test split. */
  readonly scores: { readonly teacher: number; readonly studentNoKd: number; readonly studentKd: number };
  /** Best source-validation metric of each model (where the KD weights were chosen). */
  readonly validation: { readonly teacher: number; readonly studentNoKd: number; readonly studentKd: number };
  /** The KD and alignment weights chosen on the source validation split, and every candidate's validation metric. */
  readonly distill: {
    readonly lambdaKd: number;
    readonly lambdaFeat: number;
    readonly candidates: { lambdaKd: number; lambdaFeat: number; val: number }[];
  };
  /** Steps each model ran (early stopping) out of the cap. */
  readonly stepsRun: { readonly teacher: number; readonly studentNoKd: number; readonly studentKd: number };
  readonly curves: Record<'teacher' | 'studentNoKd' | 'studentKd', CurvePoint[]>;
}

export interface SourceStageInput {
  readonly source: { readonly train: PairedSource; readonly val: PairedSource; readonly test: PairedSource };
  readonly task: TaskSpec;
  readonly config: Config;
  readonly rng: Rng;
  readonly onProgress?: ProgressSink;
  /** The teacher's outputs are given in the source's `superior` rows (src/data/manifest.ts): no teacher is trained. */
  readonly givenTeacher?: GivenTeacher;
}

/** Scores a model on one modality of a labelled source split. */
export const scoreOn = (model: Model, d: PairedSource, modality: 'weak' | 'superior', task: TaskSpec): number =>
  task.metric(
    predictAll(d[modality], d.n, (x) => model.forward([x], { training: false }).output),
    d.label!,
  );

/** The cap, the learning-rate schedule and early stopping of one model's training. */
export const trainConfigOf = (t: { steps: number; lr: number; patience: number }) => ({
  steps: t.steps,
  lr: t.lr,
  optimizer: { kind: 'adam' as const },
  schedule: { kind: 'cosine' as const, warmupSteps: Math.min(50, Math.floor(t.steps / 10)) },
  evalEvery: Math.max(1, Math.floor(t.steps / 10)),
  patience: t.patience,
});

export const runSourceStage = async (i: SourceStageInput): Promise<SourceStageResult> => {
  const { source, task, config: c, rng } = i;
  const progress = i.onProgress;
  const nl = Math.min(c.data.sourceLabelled, source.train.n);
  const labelled = subsetSource(source.train, labelledSubset(source.train.n, nl, rng.fork('source-labelled')));
  const { label: _unused, ...pairs } = source.train;
  /** Supervised training on the labelled pairs of one modality, validated on the source val split. */
  const supervised = (
    model: Model,
    modality: 'weak' | 'superior',
    t: Config['teacher'],
    batchesLabel: string,
    stage: string,
  ) =>
    trainSupervised({
      model,
      modality,
      batches: sourceBatches(labelled, t.batchSize, rng.fork(batchesLabel), task.labelScale),
      taskLoss: task.taskLoss,
      config: trainConfigOf(t),
      validate: () => scoreOn(model, source.val, modality, task),
      higherIsBetter: task.higherIsBetter,
      stage,
      ...(progress ? { onProgress: progress } : {}),
    });
  const teacher = i.givenTeacher
    ? givenTeacher(i.givenTeacher.outputs, i.givenTeacher.features, task.labelScale)
    : modelFor('teacher', source.train.superior.shape, c.teacher, task.outputs, rng.fork('teacher-init'));
  const tr: Pick<TrainResult, 'bestVal' | 'stepsRun' | 'curve'> = i.givenTeacher
    ? { bestVal: scoreOn(teacher, source.val, 'superior', task), stepsRun: 0, curve: [] }
    : await supervised(teacher, 'superior', c.teacher, 'teacher-batches', 'teacher');
  // Both students start from the same weights and see the same labelled batches, so that the
  // comparison isolates distillation.
  const noKd = modelFor('student', source.train.weak.shape, c.student, task.outputs, rng.fork('student-init'));
  const nr = await supervised(noKd, 'weak', c.student, 'student-batches', 'student (no KD)');
  const studentNoKd = scoreOn(noKd, source.test, 'weak', task);
  noKd.dispose();

  const candidates: { lambdaKd: number; lambdaFeat: number; val: number }[] = [];
  let best: {
    student: Model;
    projection: Projection;
    val: number;
    lambdaKd: number;
    lambdaFeat: number;
    curve: CurvePoint[];
    steps: number;
  } | null = null;
  for (const lambdaKd of c.distill.lambdaKd) {
    for (const lambdaFeat of c.distill.lambdaFeat) {
      const student = modelFor('student', source.train.weak.shape, c.student, task.outputs, rng.fork('student-init'));
      const projection =
        c.distill.projection === 'lowRank'
          ? createProjection(
              'lowRank',
              [student.featureDim],
              [teacher.featureDim],
              rng.fork('projection'),
              c.distill.rank,
            )
          : createProjection('linear', [student.featureDim], [teacher.featureDim], rng.fork('projection'));
      const kr = await trainCmkd({
        student,
        teacher,
        projection,
        losses: {
          task: task.taskLoss,
          kd: task.kdLoss,
          align: (p, h) => featureAlign(p, h, 'cosine'),
          lambdaKd,
          lambdaFeat,
        },
        batches: sourceBatches(labelled, c.student.batchSize, rng.fork('student-batches'), task.labelScale),
        ...(nl < source.train.n
          ? { unlabelledBatches: sourceBatches(pairs, c.student.batchSize, rng.fork('pair-batches'), task.labelScale) }
          : {}),
        config: trainConfigOf(c.student),
        validate: () => scoreOn(student, source.val, 'weak', task),
        higherIsBetter: task.higherIsBetter,
        ...(progress
          ? { onProgress: (e) => progress({ ...e, stage: `student (CMKD λkd ${lambdaKd}, λfeat ${lambdaFeat})` }) }
          : {}),
      });
      const val = kr.bestVal ?? Number.NaN;
      candidates.push({ lambdaKd, lambdaFeat, val });
      if (best === null || isBetter(val, best.val, task.higherIsBetter)) {
        if (best) {
          best.student.dispose();
          best.projection.dispose();
        }
        best = { student, projection, val, lambdaKd, lambdaFeat, curve: kr.curve, steps: kr.stepsRun };
      } else {
        student.dispose();
        projection.dispose();
      }
    }
  }
  const b = best!;
  const scores = {
    teacher: scoreOn(teacher, source.test, 'superior', task),
    studentNoKd,
    studentKd: scoreOn(b.student, source.test, 'weak', task),
  };
  return {
    teacher,
    studentKd: b.student,
    projection: b.projection,
    labelled,
    scores,
    validation: { teacher: tr.bestVal ?? Number.NaN, studentNoKd: nr.bestVal ?? Number.NaN, studentKd: b.val },
    distill: { lambdaKd: b.lambdaKd, lambdaFeat: b.lambdaFeat, candidates },
    stepsRun: { teacher: tr.stepsRun, studentNoKd: nr.stepsRun, studentKd: b.steps },
    curves: { teacher: tr.curve, studentNoKd: nr.curve, studentKd: b.curve },
  };
};
