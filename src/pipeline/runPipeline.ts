/**
 * The staged pipeline: for each seed, scenario → teacher → CMKD → priors → target methods (and the
 * learning-curve sweep); then the first seed's `kap` student is compressed and planned per device.
 * Returns the report and the deployable model's bytes. Stage timings are measured wall-clock.
 *
 * @example
 * const { report, model } = await runPipeline(PRESETS.quick, { onProgress: console.log });
 */
import * as tf from '@tensorflow/tfjs-core';

import * as TE from 'fp-ts/lib/TaskEither.js';
import { fromUnknown, type KapriError } from '../core/errors.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import { createRng } from '../core/rng.js';
import { subsetTarget } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import { featureAlign } from '../distill/losses/featureLosses.js';
import type { Model } from '../nn/model.js';
import { initTraining } from '../backend/initTraining.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import { generateScenario } from '../scenarios/index.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { Config } from './config.js';
import type { CalibrationMethod } from '../compress/calibration.js';
import { runDeployStage, type DeployResult } from './deployStage.js';
import { defaultKernels } from '../kernels/loader.js';
import { summarize, type Report } from './report.js';
import { runSourceStage } from './sourceStage.js';
import { runMultiModalStage, type MultiModalReport } from './multiModalStage.js';
import { learnPriors, METHODS, PRIOR_METHODS, runTargetStage, type Method, type MethodResult, type PriorMethod } from './targetStage.js';
import { compareAll } from '../core/pairedStats.js';
import { runGammaSweep } from './gammaSweep.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import { classTask, keypointTask, type TaskSpec } from './taskSpec.js';
import { firstRows } from './tensorBatches.js';

export interface PipelineOptions {
  readonly devices: readonly DeviceProfile[];
  readonly onProgress?: ProgressSink;
}

export interface PipelineOutput {
  readonly report: Report;
  readonly model: Uint8Array;
  readonly preview: ScenarioData;
}

const taskFor = (d: ScenarioData, c: Config): TaskSpec => {
  const l = d.source.train.label ?? d.target.train.label!;
  return l.kind === 'classes' ? classTask(l.classes, c.distill.temperature) : keypointTask(l);
};


const calibrationMethodOf = (c: Config): CalibrationMethod =>
  c.compress.calibration === 'percentile' ? { kind: 'percentile', percentile: c.compress.percentile } : { kind: c.compress.calibration };

/** Runs everything; throws KapriError on bad input or numerical failure. */
export const runPipelineOrThrow = async (c: Config, o: PipelineOptions): Promise<PipelineOutput> => {
  const progress = o.onProgress ?? silentProgress;
  const t0 = performance.now();
  const stages: Record<string, number> = {};
  const time = async <A>(name: string, f: () => Promise<A> | A): Promise<A> => {
    const s = performance.now();
    const r = await f();
    stages[name] = (stages[name] ?? 0) + (performance.now() - s) / 1000;
    return r;
  };
  await initTraining({ onWarning: (m) => progress({ stage: 'setup', step: 0, total: 0, message: m }) });
  // The deployed models run (metric and latency) on the kernels, loaded once.
  const kernels = await defaultKernels();
  const seeds = Array.from({ length: c.seeds }, (_, k) => c.seed + k);
  const src: Record<'teacher' | 'studentNoKd' | 'studentKd', number[]> = { teacher: [], studentNoKd: [], studentKd: [] };
  const srcVal: Record<'teacher' | 'studentNoKd' | 'studentKd', number[]> = { teacher: [], studentNoKd: [], studentKd: [] };
  const distillChosen: { lambdaKd: number; lambdaFeat: number; candidates: { lambdaKd: number; lambdaFeat: number; val: number }[] }[] = [];
  const stepsRun: Record<string, number>[] = [];
  // results[method][seed index] = one result per strength (one for scratch and finetune)
  const results = Object.fromEntries(METHODS.map((m) => [m, [] as MethodResult[][]])) as Record<Method, MethodResult[][]>;
  const kapStats: MetaLearnStats[] = [];
  const sweep = Object.fromEntries(METHODS.map((m) => [m, c.data.sweep.map(() => [] as number[])])) as Record<Method, number[][]>;
  let first: { data: ScenarioData; task: TaskSpec; sourceCurves: Report['curves']['source']; kapMeta: number[]; deploy: DeployResult; multiModal: MultiModalReport } | null = null;
  const better = (a: number, b: number, higher: boolean) => (higher ? a > b : a < b);
  /** The result with the best validation metric (a prior's strength chosen on one seed: the sweep and the deployed model). */
  const bestByVal = (rs: MethodResult[], higher: boolean): MethodResult => rs.reduce((b, r) => (better(r.val, b.val, higher) ? r : b));
  for (const seed of seeds) {
    const rng = createRng(seed);
    const data = await time('scenario', () => generateScenario(c.scenario, seed, { sourceTrain: c.data.sourceTrain, targetTrain: Math.max(c.data.targetLabelled, ...c.data.sweep), targetTest: c.data.targetTest, handsTargetRoot: c.data.handsTargetRoot, gamma: c.data.gamma }));
    progress({ stage: 'scenario', step: 1, total: 1, message: `${data.name}, seed ${seed}` });
    const task = taskFor(data, c);
    const s = await time('source', () => runSourceStage({ source: data.source, task, config: c, rng: rng.fork('source'), onProgress: progress }));
    for (const k of ['teacher', 'studentNoKd', 'studentKd'] as const) {
      src[k].push(s.scores[k]);
      srcVal[k].push(s.validation[k]);
    }
    distillChosen.push(s.distill);
    stepsRun.push(s.stepsRun);
    const parts = { student: s.studentKd, teacher: s.teacher, projection: s.projection, losses: { task: task.taskLoss, kd: task.kdLoss, align: (p: tf.Tensor, h: tf.Tensor) => featureAlign(p, h, 'cosine'), lambdaKd: s.distill.lambdaKd, lambdaFeat: s.distill.lambdaFeat } };
    // The priors see only the labelled pairs (and the held-out validation split for KaP's outer loss).
    const priors = await time('prior', () => learnPriors(parts, { train: s.labelled, val: data.source.val }, task, c, rng.fork('priors'), progress));
    kapStats.push(priors.kapStats);
    // Both modalities exist only on the source: the multi-modal deployment is planned there, once.
    const multiModal: MultiModalReport | null =
      first === null
        ? await time('multi-modal', () =>
            runMultiModalStage({
              teacher: s.teacher,
              student: s.studentKd,
              source: data.source,
              labelled: s.labelled,
              task,
              higherIsBetter: data.higherIsBetter,
              metricName: data.metric,
              modalityNames: data.modalities,
              devices: o.devices,
              kernels,
              calibrationMethod: calibrationMethodOf(c),
              calibrationSamples: c.compress.calibrationSamples,
              mixedBytesRatio: c.compress.mixedBytesRatio,
              headSteps: c.student.steps,
              rng: rng.fork('multi-modal'),
              onProgress: progress,
            }),
          )
        : null;
    let deploy: DeployResult | null = null;
    const seedResults = await time('target', () =>
      runTargetStage({
        target: data.target,
        studentSrc: s.studentKd,
        priors,
        task,
        config: c,
        labelled: c.data.targetLabelled,
        rng: rng.fork('target'),
        onProgress: progress,
        keepKap: async (m: Model, labelled) => {
          if (first !== null || deploy !== null) return;
          // Compress the first seed's kap student while it is alive; calibration needs no labels.
          const pool = subsetTarget(data.target.train, labelledSubset(data.target.train.n, Math.min(c.compress.calibrationSamples, data.target.train.n), rng.fork('calibration')));
          const calib = firstRows(pool.weak, pool.n);
          const s0 = performance.now();
          try {
            deploy = await runDeployStage({
              model: m,
              calibration: calib,
              labelled,
              val: data.target.val,
              test: data.target.test,
              task,
              higherIsBetter: data.higherIsBetter,
              devices: o.devices,
              mixedBytesRatio: c.compress.mixedBytesRatio,
              calibrationMethod: calibrationMethodOf(c),
              prune: { sparsity: c.compress.pruneSparsity, steps: Math.max(1, Math.round(c.target.steps / 2)), lr: c.target.lr, batchSize: c.target.batchSize },
              kernels,
              rng: rng.fork('deploy'),
              onProgress: progress,
            });
          } finally {
            calib.dispose();
          }
          stages['compress+deploy'] = (performance.now() - s0) / 1000;
        },
      }),
    );
    for (const m of METHODS) results[m].push(seedResults[m]);
    // The learning-curve sweep runs on the first seed only: it multiplies the target stage's cost.
    if (seed === seeds[0]) await time('sweep', async () => {
      for (const [k, size] of c.data.sweep.entries()) {
        const r = size === c.data.targetLabelled ? seedResults : await runTargetStage({ target: data.target, studentSrc: s.studentKd, priors, task, config: c, labelled: size, rng: rng.fork(`sweep-${size}`), onProgress: progress });
        for (const m of METHODS) sweep[m][k]!.push(bestByVal(r[m], task.higherIsBetter).score);
      }
    });
    if (first === null) first = { data, task, sourceCurves: s.curves, kapMeta: priors.kapMetaLosses, deploy: deploy!, multiModal: multiModal! };
    s.teacher.dispose();
    s.studentKd.dispose();
    s.projection.dispose();
  }
  const f = first!;
  const higher = f.task.higherIsBetter;
  const gammaSweep = c.scenario === 'gauss' && c.data.gammaSweep.length > 0 ? await time('gamma sweep', () => runGammaSweep(c, f.task, progress)) : undefined;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // Equal tuning (METHODS §6): each prior's strength is the one with the best mean target-validation
  // metric over the seeds, from the same grid for every prior; the test scores reported are that strength's.
  const chosenIndex = (m: Method): number => {
    const perStrength = results[m][0]!.map((_, j) => mean(results[m].map((seedRs) => seedRs[j]!.val)));
    return perStrength.reduce((bi, v, j) => (better(v, perStrength[bi]!, higher) ? j : bi), 0);
  };
  const chosen = Object.fromEntries(METHODS.map((m) => [m, chosenIndex(m)])) as Record<Method, number>;
  const at = (m: Method) => results[m].map((seedRs) => seedRs[chosen[m]]!);
  const tgt = Object.fromEntries(METHODS.map((m) => [m, at(m).map((r) => r.score)])) as Record<Method, number[]>;
  const tgtVal = Object.fromEntries(METHODS.map((m) => [m, at(m).map((r) => r.val)])) as Record<Method, number[]>;
  const pairs = METHODS.flatMap((m) => METHODS.filter((b) => b !== m).map((b) => [m, b] as const));
  const grid = Object.fromEntries(
    PRIOR_METHODS.map((m) => [
      m,
      results[m][0]!.map((r0, j) => ({ strength: r0.strength!, val: mean(results[m].map((seedRs) => seedRs[j]!.val)), test: mean(results[m].map((seedRs) => seedRs[j]!.score)), ...(r0.sameAs ? { sameAs: r0.sameAs } : {}) })),
    ]),
  ) as Record<PriorMethod, { strength: number; val: number; test: number; sameAs?: Method }[]>;
  const statMean = (k: keyof MetaLearnStats) => mean(kapStats.map((x) => x[k]));
  const report: Report = {
    scenario: c.scenario,
    seeds,
    preset: c.preset,
    config: c,
    source: {
      metric: f.data.metric,
      higherIsBetter: f.data.higherIsBetter,
      teacher: mean(src.teacher),
      studentNoKd: mean(src.studentNoKd),
      studentKd: mean(src.studentKd),
      perSeed: src,
      validation: srcVal,
      distill: distillChosen.map(({ lambdaKd, lambdaFeat }) => ({ lambdaKd, lambdaFeat })),
      distillCandidates: distillChosen.map((d) => d.candidates),
      stepsRun,
      comparisons: compareAll(src, higher, [['studentKd', 'studentNoKd']]),
    },
    target: {
      metric: f.data.metric,
      higherIsBetter: f.data.higherIsBetter,
      labelled: c.data.targetLabelled,
      methods: Object.fromEntries(METHODS.map((m) => [m, summarize(tgt[m])])),
      validation: Object.fromEntries(METHODS.map((m) => [m, summarize(tgtVal[m])])),
      chosen: Object.fromEntries(PRIOR_METHODS.map((m) => [m, { strength: results[m][0]![chosen[m]]!.strength! }])),
      grid,
      comparisons: compareAll(tgt, higher, pairs),
      details: Object.fromEntries(METHODS.map((m) => [m, results[m][0]![chosen[m]]!.details])),
    },
    priors: {
      kap: {
        phiSpread: statMean('phiSpread'),
        metaGradNorm: statMean('metaGradNorm'),
        outerLossFirst: statMean('outerLossFirst'),
        outerLossLast: statMean('outerLossLast'),
        perSeed: kapStats,
      },
    },
    ...(gammaSweep ? { gammaSweep } : {}),
    learningCurve: { sizes: [...c.data.sweep], seed: seeds[0]!, methods: Object.fromEntries(METHODS.map((m) => [m, sweep[m].map(mean)])) },
    compression: f.deploy.compression,
    deployment: f.deploy.deployment,
    multiModal: f.multiModal,
    latencyMeasuredOn: f.deploy.latencyMeasuredOn,
    curves: { source: f.sourceCurves, target: Object.fromEntries(METHODS.map((m) => [m, results[m][0]![chosen[m]]!.curve])), kapMeta: f.kapMeta },
    timings: { totalS: (performance.now() - t0) / 1000, stages },
    notes: [...f.data.notes, "model.kapri is the first seed's kap student in int8, at the strength best on that seed's target validation split"],
  };
  return { report, model: f.deploy.int8Bytes, preview: f.data };
};

/** The pipeline as a TaskEither: every failure becomes a KapriError. */
export const runPipeline = (c: Config, o: PipelineOptions): TE.TaskEither<KapriError, PipelineOutput> => TE.tryCatch(() => runPipelineOrThrow(c, o), fromUnknown('Unsupported', 'the pipeline failed'));

