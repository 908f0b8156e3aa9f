/**
 * The teacherless workflow across datasets (`kapri target`): a prior and a distilled student saved by
 * an earlier run train a student for a new target, where neither the teacher nor the superior
 * modality exists. Per seed, the target stage runs `scratch`, `finetune` (from the saved θ_src) and
 * the saved prior's family at every strength of the config's grid, exactly as a run's target stage
 * does (same forks of the seed's generator, so the same numbers as the stages run in one process);
 * the first seed's best model under the prior is compressed and planned per device. The prior's
 * record of its student (studentRecord.ts) rebuilds the architecture and the task; a target or a
 * student file that does not fit is refused before any training, naming the file and the field.
 *
 * @example
 * const out = await runOrThrow(runTarget({ config, devices: [], target, prior, student }));
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../backend/initTraining.js';
import { fail, fromUnknown, type KapriError } from '../core/errors.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import { createRng } from '../core/rng.js';
import { fingerprint, type FileFingerprint } from '../core/sha256.js';
import { KAPRI_VERSION } from '../core/version.js';
import type { Target } from '../data/dataset.js';
import { defaultKernels, type KernelModule } from '../kernels/loader.js';
import type { Model } from '../nn/model.js';
import { decodeParamsInto } from '../nn/paramsFile.js';
import type { Prior } from '../priors/prior.js';
import { decodePrior } from '../priors/priorArtifact.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import { artifactFiles, artifactsOf, type Artifacts } from './artifacts.js';
import { summarizeTarget } from './assembleReport.js';
import type { Config } from './config.js';
import { deployStudent, type DeployResult } from './deployStage.js';
import { modelFor } from './models.js';
import { peakMemory, peakMemoryReport, sampledSink } from './jobMemory.js';
import type { Report, RunTimings } from './report.js';
import { runSeedLanes } from './seedLanes.js';
import { sumTimings, timed, type Timings } from './stage.js';
import { archOf, checkTargetFits, decodeStudentRecord, taskOfRecord, type StudentRecord } from './studentRecord.js';
import { PLAIN_METHODS, runTargetStage, type Method, type MethodResult } from './targetStage.js';
import type { TaskSpec } from './taskSpec.js';

/** A file's bytes and the name it was read from (errors and the report name it). */
export interface NamedBytes {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export interface TargetRunInput {
  readonly config: Config;
  readonly devices: readonly DeviceProfile[];
  /** The new target's splits (labels on each: train is the labelled pool) and where they came from. */
  readonly target: { readonly train: Target; readonly val: Target; readonly test: Target };
  readonly manifest: string;
  readonly dataFiles: readonly FileFingerprint[];
  /** prior.kprior and student.kparams of an earlier run. */
  readonly prior: NamedBytes;
  readonly student: NamedBytes;
  /** Seeds run at once on worker threads (default 1: in this thread); the numbers are the same for any value. */
  readonly jobs?: number;
  readonly onProgress?: ProgressSink;
}

/** What targetWorker.ts receives: the run's input without its progress sink, and one seed. */
export interface TargetSeedJob {
  readonly input: Omit<TargetRunInput, 'onProgress'>;
  readonly seed: number;
  readonly first: boolean;
}

/** report.json of `kapri target`: a run's report without the source, plus what the prior was. */
export type TargetReport = Pick<
  Report,
  'seeds' | 'preset' | 'config' | 'versions' | 'target' | 'compression' | 'deployment' | 'latencyMeasuredOn' | 'notes'
> & {
  readonly kind: 'target';
  readonly dataset: { readonly manifest: string; readonly files: FileFingerprint[] };
  /** The prior and student files this run started from, and the student the prior records. */
  readonly from: {
    readonly prior: FileFingerprint & { readonly family: string };
    readonly student: FileFingerprint;
    readonly record: StudentRecord;
  };
  readonly artifacts: Artifacts;
  readonly curves: { readonly target: Report['curves']['target'] };
  readonly timings: RunTimings;
};

export interface TargetRunOutput {
  readonly report: TargetReport;
  /** model.kapri (the first device's plan) and one model-NAME.kapri per device. */
  readonly files: readonly (readonly [string, Uint8Array])[];
}

/** What the saved files are, once judged: the prior, its student's record and the task. */
export interface Judged {
  readonly prior: Prior;
  readonly record: StudentRecord;
  readonly task: TaskSpec;
}

/** Judges the prior against the target before any work: every refusal names the file and the field. */
export const checkTargetRun = (i: Omit<TargetRunInput, 'onProgress'>): E.Either<KapriError, Judged> =>
  pipe(
    decodePrior(i.prior.bytes, i.prior.file),
    E.bindTo('prior'),
    E.bind('record', ({ prior }) => decodeStudentRecord(prior, i.prior.file)),
    E.chainFirst(({ record }) => checkTargetFits(record, i.prior.file, i.target.train, i.manifest)),
    E.chainFirst(() =>
      i.config.data.targetLabelled > i.target.train.n
        ? fail<void>(
            'InvalidConfig',
            `the config's 'data.targetLabelled' asks for ${i.config.data.targetLabelled} labelled target samples, but target.train of ${i.manifest} has ${i.target.train.n}; lower it with --config`,
            { file: i.manifest, path: 'data.targetLabelled' },
          )
        : E.right(undefined),
    ),
    E.map(({ prior, record }) => ({ prior, record, task: taskOfRecord(record, i.config.distill.temperature) })),
  );

/** θ_src of the record, its weights from the student file (refused, naming the file, when they do not fit). */
const loadStudent = (i: Omit<TargetRunInput, 'onProgress'>, r: StudentRecord, seed: number): Model => {
  const m = modelFor(r.model, r.inputShape, archOf(r), r.outputs, createRng(seed).fork('saved-student'));
  const loaded = decodeParamsInto(
    i.student.bytes,
    { params: m.params, state: m.state },
    {
      model: r.model,
      source: i.student.file,
    },
  );
  if (E.isLeft(loaded)) {
    m.dispose();
    throw loaded.left;
  }
  return m;
};

/** One seed of a target run: each method's results, and the first seed's deployment. */
export interface TargetSeedOut {
  readonly seed: number;
  readonly target: Record<Method, MethodResult[]>;
  readonly deploy: DeployResult | null;
  readonly timings: Timings;
  /** The most memory the seed's thread held while it ran, MiB (jobMemory.ts). */
  readonly peakMemoryMb: number;
}

/** One seed's target stage (and, on the first seed, compression and device plans), in this thread. */
export const runTargetSeed = async (
  i: Omit<TargetRunInput, 'onProgress'>,
  j: Judged,
  seed: number,
  first: boolean,
  kernels: KernelModule,
  given: ProgressSink,
): Promise<TargetSeedOut> => {
  const memory = peakMemory();
  const progress = sampledSink(memory, given);
  const config: Config = { ...i.config, student: { ...i.config.student, ...archOf(j.record) } };
  const rng = createRng(seed);
  const studentSrc = loadStudent(i, j.record, seed);
  try {
    const family = j.prior.family;
    const t = await timed(() =>
      runTargetStage({
        target: i.target,
        studentSrc,
        priors: { byMethod: { [family]: j.prior } },
        task: j.task,
        config,
        labelled: config.data.targetLabelled,
        // the fork a run's seed gives its target stage: the same labelled subset, batches and inits
        rng: rng.fork('target'),
        methods: [...PLAIN_METHODS, family],
        onProgress: progress,
        keepKap: first,
        keepMethod: family,
      }),
    );
    const kept = t.value.kept;
    try {
      const d = kept
        ? await timed(() =>
            deployStudent({
              model: kept.model,
              labelled: kept.labelled,
              target: i.target,
              task: j.task,
              config,
              devices: i.devices,
              kernels,
              rng,
              onProgress: progress,
            }),
          )
        : null;
      return {
        seed,
        target: t.value.results,
        deploy: d?.value ?? null,
        timings: { target: t.seconds, ...(d ? { 'compress+deploy': d.seconds } : {}) },
        peakMemoryMb: memory.peakMb(),
      };
    } finally {
      kept?.model.dispose();
    }
  } finally {
    studentSrc.dispose();
  }
};

/** The teacherless target run as a TaskEither (see the module comment). */
export const runTarget = (i: TargetRunInput): TE.TaskEither<KapriError, TargetRunOutput> =>
  pipe(
    TE.fromEither(checkTargetRun(i)),
    TE.chain((j) =>
      TE.tryCatch(
        async () => {
          const startedAt = performance.now();
          const progress = i.onProgress ?? silentProgress;
          await initTraining({ onWarning: (m) => progress({ stage: 'setup', step: 0, total: 0, message: m }) });
          const kernels = await defaultKernels();
          const seeds = Array.from({ length: i.config.seeds }, (_, k) => i.config.seed + k);
          const { onProgress: _, ...input } = i;
          const jobs = Math.min(i.jobs ?? 1, seeds.length);
          const runs = await runSeedLanes<TargetSeedOut>({
            seeds,
            jobs,
            onProgress: progress,
            here: (seed, first) => runTargetSeed(input, j, seed, first, kernels, progress),
            worker: { entry: 'targetWorker', data: (seed, first): TargetSeedJob => ({ input, seed, first }) },
          });
          const deploy = runs[0]!.deploy!;
          const files = artifactFiles({ deploy });
          const family = j.prior.family;
          const target = summarizeTarget(runs, [...PLAIN_METHODS, family], [family], j.task.higherIsBetter);
          const metric =
            j.record.task === 'classification' ? 'accuracy' : j.record.task === 'keypoints' ? 'auc' : 'mae';
          const report: TargetReport = {
            kind: 'target',
            dataset: { manifest: i.manifest, files: [...i.dataFiles] },
            from: {
              prior: { ...(await fingerprint(i.prior.file, i.prior.bytes)), family },
              student: await fingerprint(i.student.file, i.student.bytes),
              record: j.record,
            },
            seeds,
            preset: i.config.preset,
            config: i.config,
            versions: {
              kapri: KAPRI_VERSION,
              node: typeof process !== 'undefined' ? process.version : 'none',
              tfjs: tf.version_core,
              kernels: kernels.build,
            },
            target: {
              metric,
              higherIsBetter: j.task.higherIsBetter,
              labelled: i.config.data.targetLabelled,
              ...target.section,
            },
            compression: deploy.compression,
            deployment: deploy.deployment,
            artifacts: await artifactsOf({ deploy }, files),
            latencyMeasuredOn: deploy.latencyMeasuredOn,
            curves: { target: target.curves },
            timings: {
              totalS: (performance.now() - startedAt) / 1000,
              jobs,
              stages: sumTimings(runs.map((r) => r.timings)),
              peakMemoryMb: peakMemoryReport(runs.map((r) => r.peakMemoryMb)),
            },
            notes: [
              `a teacherless target: no teacher and no superior modality; the student starts from ${i.student.file} (θ_src) and the prior is ${i.prior.file} (family '${family}', learned on ${j.record.learnedOn}) at each strength of the config's grid, chosen on the target validation split`,
              `the student's architecture (width ${j.record.width}, depth ${archOf(j.record).depth}) comes from the prior's record; the config's student.width and student.depth are not used`,
              "model.kapri is the first seed's student under the prior, compressed as the plan of the first device; model-NAME.kapri is each device's plan",
            ],
          };
          return { report, files };
        },
        fromUnknown('Unsupported', 'the target run failed'),
      ),
    ),
  );
