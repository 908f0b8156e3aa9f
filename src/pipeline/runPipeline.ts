/**
 * The staged pipeline: for each seed (seedRun.ts), scenario → teacher → CMKD → priors → target
 * methods; the first seed also runs the learning-curve sweep, the multi-modal deployment and the
 * compression of its `kap` student. Seeds run `jobs` at a time on worker threads (seedPool.ts) with
 * the same numbers as one at a time. Then each prior's strength is chosen on the target validation
 * split and every method is compared with every other, paired over seeds. Returns the report and the
 * deployable model's bytes. Stage timings are measured wall-clock (summed over seeds).
 *
 * @example
 * const { report, model } = await runPipelineOrThrow(PRESETS.quick, { devices: [] });
 */
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as tf from '@tensorflow/tfjs-core';
import { compareAll } from '../core/pairedStats.js';
import { KAPRI_VERSION } from '../core/version.js';
import { fromUnknown, kapriError, type KapriError } from '../core/errors.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import { initTraining } from '../backend/initTraining.js';
import { defaultKernels } from '../kernels/loader.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { Config } from './config.js';
import { runGammaSweep } from './gammaSweep.js';
import { summarize, type Report } from './report.js';
import { runSeeds } from './seedPool.js';
import { taskFor, type SeedResult } from './seedRun.js';
import { isBetter } from './taskSpec.js';
import { priorMethods, targetMethods, type Method, type MethodResult } from './targetStage.js';

export interface PipelineOptions {
  readonly devices: readonly DeviceProfile[];
  readonly onProgress?: ProgressSink;
  /** Seeds trained at once on worker threads (default 1: in this thread). Results do not depend on it. */
  readonly jobs?: number;
}

export interface PipelineOutput {
  readonly report: Report;
  readonly model: Uint8Array;
  readonly preview: ScenarioData;
}

/**
 * Every seed's results of one target method, by seed then strength. A seed without the method ran on
 * a worker thread, which sees the built-in registrations only: a family registered at run time in this
 * thread needs jobs 1.
 */
const seedResults = (runs: readonly SeedResult[], m: Method): MethodResult[][] =>
  runs.map((r) => {
    const rs = r.target[m];
    if (!rs)
      throw kapriError(
        'Unsupported',
        `seed ${r.seed} has no results for the target method '${m}': a prior family registered at run time is not seen by seed worker threads; run it with jobs 1`,
        { seed: r.seed, method: m },
      );
    return rs;
  });

/** Runs everything; throws KapriError on bad input or numerical failure. */
export const runPipelineOrThrow = async (c: Config, o: PipelineOptions): Promise<PipelineOutput> => {
  const progress = o.onProgress ?? silentProgress;
  const t0 = performance.now();
  await initTraining({ onWarning: (m) => progress({ stage: 'setup', step: 0, total: 0, message: m }) });
  const seeds = Array.from({ length: c.seeds }, (_, k) => c.seed + k);
  const jobs = Math.min(o.jobs ?? 1, seeds.length);
  // The deployed models run (metric and latency) on the kernels; each worker loads its own.
  const runs = await runSeeds(c, { seeds, jobs, devices: o.devices, kernels: defaultKernels, onProgress: progress });
  const stages: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.stages)) stages[k] = (stages[k] ?? 0) + v;
  const time = async <A>(name: string, f: () => Promise<A> | A): Promise<A> => {
    const s = performance.now();
    const r = await f();
    stages[name] = (stages[name] ?? 0) + (performance.now() - s) / 1000;
    return r;
  };
  const sourceModels = ['teacher', 'studentNoKd', 'studentKd'] as const;
  const bySeed = (f: (r: SeedResult) => Record<(typeof sourceModels)[number], number>) =>
    Object.fromEntries(sourceModels.map((k) => [k, runs.map((r) => f(r)[k])])) as Record<
      (typeof sourceModels)[number],
      number[]
    >;
  const src = bySeed((r) => r.source.scores);
  const srcVal = bySeed((r) => r.source.validation);
  const kapStats: MetaLearnStats[] = runs.map((r) => r.kapStats);
  const first = runs[0]!.first!;
  const f = { ...first, task: taskFor(first.data, c) };
  const higher = f.task.higherIsBetter;
  const gammaSweep =
    c.scenario === 'gauss' && c.data.gammaSweep.length > 0
      ? await time('gamma sweep', () => runGammaSweep(c, f.task, progress))
      : undefined;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // Equal tuning (METHODS §6): each prior's strength is the one with the best mean target-validation
  // metric over the seeds, from the same grid for every prior; the test scores reported are that strength's.
  const methods = targetMethods();
  const perMethod = methods.map((m) => {
    const bySeedResults = seedResults(runs, m);
    const perStrength = bySeedResults[0]!.map((_, j) => mean(bySeedResults.map((seedRs) => seedRs[j]!.val)));
    const chosen = perStrength.reduce((bi, v, j) => (isBetter(v, perStrength[bi]!, higher) ? j : bi), 0);
    return {
      method: m,
      bySeed: bySeedResults,
      /** The first seed's result at the chosen strength (its details and curve go to the report). */
      first: bySeedResults[0]![chosen]!,
      at: bySeedResults.map((seedRs) => seedRs[chosen]!),
    };
  });
  const byMethod = <A>(f: (p: (typeof perMethod)[number]) => A): Record<Method, A> =>
    Object.fromEntries(perMethod.map((p) => [p.method, f(p)]));
  const priorsOnly = perMethod.filter((p) => priorMethods().includes(p.method));
  const tgt = byMethod((p) => p.at.map((r) => r.score));
  const pairs = methods.flatMap((m) => methods.filter((b) => b !== m).map((b) => [m, b] as const));
  const grid = Object.fromEntries(
    priorsOnly.map((p) => [
      p.method,
      p.bySeed[0]!.map((r0, j) => ({
        strength: r0.strength!,
        val: mean(p.bySeed.map((seedRs) => seedRs[j]!.val)),
        test: mean(p.bySeed.map((seedRs) => seedRs[j]!.score)),
        ...(r0.sameAs ? { sameAs: r0.sameAs } : {}),
      })),
    ]),
  );
  const statMean = (k: keyof MetaLearnStats) => mean(kapStats.map((x) => x[k]));
  const report: Report = {
    scenario: c.scenario,
    seeds,
    preset: c.preset,
    config: c,
    versions: {
      kapri: KAPRI_VERSION,
      node: typeof process !== 'undefined' ? process.version : 'none',
      tfjs: tf.version_core,
      kernels: (await defaultKernels()).build,
    },
    source: {
      metric: f.data.metric,
      higherIsBetter: f.data.higherIsBetter,
      teacher: mean(src.teacher),
      studentNoKd: mean(src.studentNoKd),
      studentKd: mean(src.studentKd),
      perSeed: src,
      validation: srcVal,
      distill: runs.map(
        ({
          source: {
            distill: { lambdaKd, lambdaFeat },
          },
        }) => ({ lambdaKd, lambdaFeat }),
      ),
      distillCandidates: runs.map((r) => r.source.distill.candidates),
      stepsRun: runs.map((r) => r.source.stepsRun),
      comparisons: compareAll(src, higher, [['studentKd', 'studentNoKd']]),
    },
    target: {
      metric: f.data.metric,
      higherIsBetter: f.data.higherIsBetter,
      labelled: c.data.targetLabelled,
      methods: byMethod((p) => summarize(p.at.map((r) => r.score))),
      validation: byMethod((p) => summarize(p.at.map((r) => r.val))),
      chosen: Object.fromEntries(priorsOnly.map((p) => [p.method, { strength: p.first.strength! }])),
      grid,
      comparisons: compareAll(tgt, higher, pairs),
      details: byMethod((p) => p.first.details),
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
    learningCurve: { sizes: [...c.data.sweep], seed: seeds[0]!, methods: first.sweep },
    compression: f.deploy.compression,
    deployment: f.deploy.deployment,
    multiModal: f.multiModal,
    latencyMeasuredOn: f.deploy.latencyMeasuredOn,
    curves: {
      source: f.sourceCurves,
      target: byMethod((p) => p.first.curve),
      kapMeta: f.kapMeta,
    },
    timings: { totalS: (performance.now() - t0) / 1000, jobs, stages },
    notes: [
      ...f.data.notes,
      "model.kapri is the first seed's kap student in int8, at the strength best on that seed's target validation split",
    ],
  };
  return { report, model: f.deploy.int8Bytes, preview: f.data };
};

/** The pipeline as a TaskEither: every failure becomes a KapriError. */
export const runPipeline = (c: Config, o: PipelineOptions): TE.TaskEither<KapriError, PipelineOutput> =>
  TE.tryCatch(() => runPipelineOrThrow(c, o), fromUnknown('Unsupported', 'the pipeline failed'));
