/**
 * The pipeline: setup → the seeds (seedRun.ts: scenario → teacher → CMKD → priors → target methods;
 * the first seed also the learning-curve sweep, the multi-modal deployment and the compression of
 * its `kap` student) → the γ sweep (gauss) → the report (assembleReport.ts: strengths chosen on the
 * target validation split, every method compared with every other, paired over seeds). Seeds run
 * `jobs` at a time on worker threads (seedPool.ts) with the same numbers as one at a time. Returns the
 * report, the deployable model's bytes and every other artifact (artifacts.ts). The data is the
 * config's scenario, generated per seed, or a user's dataset (`options.dataset`, `loadDataset`), the
 * same for every seed. Stage timings are wall-clock, summed over seeds.
 *
 * @example
 * const { report, model } = await runPipelineOrThrow(PRESETS.quick, { devices: [] });
 */
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as tf from '@tensorflow/tfjs-core';
import { KAPRI_VERSION } from '../core/version.js';
import { runOrThrow, type KapriError } from '../core/errors.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import { initTraining } from '../backend/initTraining.js';
import { defaultKernels } from '../kernels/loader.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import { artifactFiles, artifactsOf } from './artifacts.js';
import { assembleReport } from './assembleReport.js';
import type { Config } from './config.js';
import { runGammaSweep } from './gammaSweep.js';
import type { Report } from './report.js';
import { runSeeds } from './seedPool.js';
import { taskFor, type SeedResult } from './seedRun.js';
import { stageIf, step, type Timed } from './stage.js';
import { checkDatasetSizes, type Dataset } from './userDataset.js';

export interface PipelineOptions {
  readonly devices: readonly DeviceProfile[];
  /** A user's dataset (`loadDataset`) in place of the config's scenario. */
  readonly dataset?: Dataset;
  readonly onProgress?: ProgressSink;
  /** Seeds trained at once on worker threads (default 1: in this thread). Results do not depend on it. */
  readonly jobs?: number;
}

export interface PipelineOutput {
  readonly report: Report;
  /** The plan chosen for the first device (int8 without devices): report.json `artifacts.model`. */
  readonly model: Uint8Array;
  /** Every artifact by file name (model.kapri, model-NAME.kapri per device, prior.kprior, teacher.kparams, student.kparams). */
  readonly files: readonly (readonly [string, Uint8Array])[];
  readonly preview: ScenarioData;
}

interface RunContext extends Timed {
  readonly config: Config;
  readonly seeds: readonly number[];
  readonly jobs: number;
  readonly devices: readonly DeviceProfile[];
  readonly dataset: Dataset | undefined;
  readonly progress: ProgressSink;
  readonly startedAt: number;
}

const setup = (c: RunContext) =>
  initTraining({ onWarning: (m) => c.progress({ stage: 'setup', step: 0, total: 0, message: m }) });

// The deployed models run (metric and latency) on the kernels; each worker loads its own.
const seedsOf = (c: RunContext) =>
  runSeeds(c.config, {
    seeds: [...c.seeds],
    jobs: c.jobs,
    devices: c.devices,
    kernels: defaultKernels,
    onProgress: c.progress,
    ...(c.dataset ? { dataset: c.dataset.data } : {}),
  });

// The files beside the report and their fingerprints, from the first seed's deployment and saved models.
const filesOf = async (c: RunContext & { readonly runs: SeedResult[] }) => {
  const first = c.runs[0]!.first!;
  const inputs = { deploy: first.deploy, saved: first.saved };
  const files = artifactFiles(inputs);
  return { files, artifacts: await artifactsOf(inputs, files) };
};

const isGammaSweep = (c: RunContext) =>
  !c.dataset && c.config.scenario === 'gauss' && c.config.data.gammaSweep.length > 0;

const gammaSweepOf = (c: RunContext & { readonly runs: SeedResult[] }) =>
  runGammaSweep(c.config, taskFor(c.runs[0]!.first!.data, c.config), c.progress);

const versionsOf = async (): Promise<Report['versions']> => ({
  kapri: KAPRI_VERSION,
  node: typeof process !== 'undefined' ? process.version : 'none',
  tfjs: tf.version_core,
  kernels: (await defaultKernels()).build,
});

/** The pipeline as a TaskEither: every failure is a KapriError on the left. */
export const runPipeline = (config: Config, o: PipelineOptions): TE.TaskEither<KapriError, PipelineOutput> => {
  const seeds = Array.from({ length: config.seeds }, (_, k) => config.seed + k);
  const start: RunContext = {
    config,
    seeds,
    jobs: Math.min(o.jobs ?? 1, seeds.length),
    devices: o.devices,
    dataset: o.dataset,
    progress: o.onProgress ?? silentProgress,
    startedAt: performance.now(),
    timings: {},
  };
  return pipe(
    o.dataset ? TE.fromEither(checkDatasetSizes(config, o.dataset)) : TE.right(undefined),
    TE.map(() => start),
    TE.chain(step('setup', setup)),
    TE.chain(step('runs', seedsOf)),
    TE.chain(stageIf('gamma sweep', 'gammaSweep', isGammaSweep, gammaSweepOf)),
    TE.chain(step('versions', versionsOf)),
    TE.chain(step('output', filesOf)),
    TE.map((c) => {
      const report = assembleReport({
        config,
        seeds,
        runs: c.runs,
        gammaSweep: c.gammaSweep,
        versions: c.versions,
        timings: c.timings,
        totalS: (performance.now() - c.startedAt) / 1000,
        jobs: c.jobs,
        artifacts: c.output.artifacts,
        ...(c.dataset ? { dataset: c.dataset } : {}),
      });
      const first = c.runs[0]!.first!;
      return { report, model: c.output.files[0]![1], files: c.output.files, preview: first.data };
    }),
  );
};

/** Runs everything; throws the KapriError on bad input or numerical failure. */
export const runPipelineOrThrow = (c: Config, o: PipelineOptions): Promise<PipelineOutput> =>
  runOrThrow(runPipeline(c, o));
