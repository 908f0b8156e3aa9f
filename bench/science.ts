/**
 * Bench sections for the science: the distillation gain on `gauss` across the modality-general
 * share γ (the Modality Focusing Hypothesis table), the default hands student's training step on wasm
 * against tfjs's cpu backend, and the cost of learning the KaP prior against plain CMKD for the same
 * number of steps (each KaP step is an inner step, an outer gradient and a CMKD update).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../src/backend/initTraining.js';
import { createRng } from '../src/core/rng.js';
import { generateGauss } from '../src/scenarios/gauss/gauss.js';
import { generateHands } from '../src/scenarios/hands/hands.js';
import { runSourceStage } from '../src/pipeline/sourceStage.js';
import { classTask, keypointTask } from '../src/pipeline/taskSpec.js';
import { modelFor } from '../src/pipeline/models.js';
import { sourceBatches } from '../src/pipeline/tensorBatches.js';
import { GAUSS_TREND_CONFIG, PRESETS } from '../src/pipeline/presets.js';
import { trainCmkd } from '../src/distill/cmkd.js';
import { createProjection } from '../src/distill/projection.js';
import { featureAlign } from '../src/distill/losses/featureLosses.js';
import { createKapState } from '../src/priors/kapPrior.js';
import { metaLearnPrior } from '../src/priors/metaLearn.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { measureMs } from './measure.js';

export interface GaussRow {
  readonly gamma: number;
  readonly teacher: number;
  readonly studentNoKd: number;
  readonly studentKd: number;
  readonly gain: number;
}

/** Source accuracies and the KD gain for γ in 0..1, averaged over seeds. */
export const benchGauss = async (opts: BenchOptions): Promise<GaussRow[]> => {
  await initTraining();
  const gammas = opts.quick ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
  const seeds = opts.quick ? [1, 2] : [1, 2, 3];
  const config = GAUSS_TREND_CONFIG;
  const rows: GaussRow[] = [];
  for (const gamma of gammas) {
    opts.log(`gauss γ = ${gamma}`);
    const acc = { teacher: 0, studentNoKd: 0, studentKd: 0 };
    for (const seed of seeds) {
      const d = generateGauss({
        seed,
        gamma,
        sourceTrain: 1000,
        sourceVal: 200,
        sourceTest: 500,
        targetTrain: 10,
        targetVal: 10,
        targetTest: 10,
      });
      const r = await runSourceStage({ source: d.source, task: classTask(2, 2), config, rng: createRng(seed) });
      for (const k of ['teacher', 'studentNoKd', 'studentKd'] as const) acc[k] += r.scores[k] / seeds.length;
      [r.teacher, r.studentKd, r.projection].forEach((m) => m.dispose());
    }
    rows.push({ gamma, ...acc, gain: acc.studentKd - acc.studentNoKd });
  }
  return rows;
};

/** One training step of the default hands student (batch 32) on wasm and on cpu, side by side. */
export const benchStudentStep = async (opts: BenchOptions): Promise<{ cases: BenchCase[]; ratio: number }> => {
  const data = generateHands({
    seed: 1,
    sourceTrain: 64,
    sourceVal: 1,
    sourceTest: 1,
    targetTrain: 1,
    targetVal: 1,
    targetTest: 1,
  });
  const task = keypointTask(data.source.train.label!);
  const ms: Record<string, number> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    opts.log(`hands student step: ${backend}`);
    await initTraining({ backend });
    const m = modelFor('student', [32, 32, 3], PRESETS.default.student, 63, createRng(1));
    const batches = sourceBatches(data.source.train, 32, createRng(2), task.labelScale);
    const b = batches(0);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => task.taskLoss(m.forward([b.weak], { training: true }).output, b.label!),
        m.variables,
      );
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    };
    ms[backend] = await measureMs(step, {
      warmup: 1,
      reps: backend === 'cpu' ? (opts.quick ? 2 : 3) : 10,
      maxMs: 30_000,
    });
    tf.dispose([b.weak, b.superior, b.label!]);
    m.dispose();
  }
  await initTraining({ backend: 'wasm' });
  const shape = `hands student w${PRESETS.default.student.width}, batch 32`;
  return {
    cases: [
      { op: 'train_step', shape, impl: 'tfjs-wasm+kapri-grads', msMedian: ms['wasm']!, gops: 0 },
      { op: 'train_step', shape, impl: 'tfjs-cpu', msMedian: ms['cpu']!, gops: 0 },
    ],
    ratio: ms['cpu']! / ms['wasm']!,
  };
};

/** Wall-clock of learning the KaP prior for N steps against N plain CMKD steps, same models and data. */
export const benchPriorCost = async (opts: BenchOptions): Promise<{ cases: BenchCase[]; ratio: number }> => {
  await initTraining();
  const steps = opts.quick ? 20 : 60;
  const data = generateHands({
    seed: 1,
    sourceTrain: 300,
    sourceVal: 100,
    sourceTest: 1,
    targetTrain: 1,
    targetVal: 1,
    targetTest: 1,
  });
  const task = keypointTask(data.source.train.label!);
  const rng = createRng(1);
  const w = PRESETS.default.student;
  const teacher = modelFor('teacher', [32, 32, 1], w, 63, rng.fork('t'));
  const student = modelFor('student', [32, 32, 3], w, 63, rng.fork('s'));
  const projection = createProjection('linear', [student.featureDim], [teacher.featureDim], rng.fork('p'));
  const losses = {
    task: task.taskLoss,
    kd: task.kdLoss,
    align: (a: tf.Tensor, b: tf.Tensor) => featureAlign(a, b),
    lambdaKd: 1,
    lambdaFeat: 1,
  };
  opts.log('prior cost: CMKD');
  const t0 = performance.now();
  await trainCmkd({
    student,
    teacher,
    projection,
    losses,
    batches: sourceBatches(data.source.train, 32, rng.fork('b1'), task.labelScale),
    config: { steps, lr: 1e-3, optimizer: { kind: 'adam' } },
  });
  const cmkd = performance.now() - t0;
  opts.log('prior cost: KaP meta-learning');
  const state = createKapState(student.params, { model: 'student' });
  const t1 = performance.now();
  await metaLearnPrior({
    state,
    parts: { student, teacher, projection, losses },
    innerBatches: sourceBatches(data.source.train, 32, rng.fork('b2'), task.labelScale),
    metaBatches: sourceBatches(data.source.val, 32, rng.fork('b3'), task.labelScale),
    steps,
    alpha: 0.01,
    beta: 0.01,
    trajectoryLr: 1e-3,
    episode: 25,
  });
  const kap = performance.now() - t1;
  state.dispose();
  [teacher, student, projection].forEach((m) => m.dispose());
  const shape = `hands w${w}, ${steps} steps, batch 32`;
  return {
    cases: [
      { op: 'cmkd_training', shape, impl: 'tfjs-wasm', msMedian: cmkd / steps, gops: 0 },
      { op: 'kap_prior_learning', shape, impl: 'tfjs-wasm', msMedian: kap / steps, gops: 0 },
    ],
    ratio: kap / cmkd,
  };
};
