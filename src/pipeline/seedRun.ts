/**
 * One seed of the pipeline, as a composition of stages (stage.ts): scenario → source (teacher, CMKD)
 * → priors → multi-modal deployment (first seed) → target methods → compression and deployment of
 * the `kap` student (first seed) → learning-curve sweep (first seed). Each stage reads the context the
 * stages before it built and adds its own output; models are released by brackets whatever happens.
 * A seed depends on nothing but the config and its seed, so seeds run in any order or in parallel
 * (seedPool.ts) with the same numbers. The result is plain data (structured-cloneable).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { runOrThrow, type KapriError } from '../core/errors.js';
import { createRng, type Rng } from '../core/rng.js';
import type { ProgressSink } from '../core/progress.js';
import type { CmkdParts } from '../distill/cmkd.js';
import { featureAlign } from '../distill/losses/featureLosses.js';
import type { KernelModule } from '../kernels/loader.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import { generateScenario } from '../scenarios/index.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { Model } from '../nn/model.js';
import { encodeParams } from '../nn/paramsFile.js';
import { encodePrior } from '../priors/priorArtifact.js';
import { studentRecordOf, withStudentRecord } from './studentRecord.js';
import type { Config } from './config.js';
import { calibrationMethodOf, deployStudent, type DeployResult } from './deployStage.js';
import { runMultiModalStage, type MultiModalReport } from './multiModalStage.js';
import { runSourceStage, type SourceStageResult } from './sourceStage.js';
import { peakMemory, sampledSink } from './jobMemory.js';
import { stage, stageIf, type Timed, type Timings } from './stage.js';
import {
  learnPriors,
  runTargetStage,
  targetMethods,
  type Method,
  type MethodResult,
  type Priors,
  type TargetStageOutput,
} from './targetStage.js';
import { classTask, isBetter, keypointTask, regressionTask, type TaskSpec } from './taskSpec.js';

/**
 * The task of a scenario's labels: classes; generic regression (a dataset with a label transform,
 * scored by MAE); or hands' keypoints (scored by PCK in mm).
 */
export const taskFor = (d: ScenarioData, c: Config): TaskSpec => {
  const l = d.source.train.label ?? d.target.train.label!;
  if (l.kind === 'classes') return classTask(l.classes, c.distill.temperature);
  return d.labelTransform ? regressionTask(l.shape, d.labelTransform.scale) : keypointTask(l);
};

/** The first seed's source models and prior, encoded: what a run writes beside its model. */
export interface SavedModels {
  /** The `kap` prior at unit strength, with its student's record (`meta.student`, studentRecord.ts). */
  readonly prior: Uint8Array;
  /**
   * The float teacher and the distilled student θ_src: parameters and batch-norm statistics
   * (paramsFile.ts). No teacher file when the teacher was given as outputs (nothing was trained).
   */
  readonly teacher?: Uint8Array;
  readonly student: Uint8Array;
}

/** What the first seed adds: the deployment, the fused model, the curves, the saved models and the data preview. */
export interface FirstSeedExtras {
  readonly data: ScenarioData;
  readonly saved: SavedModels;
  readonly sourceCurves: Record<'teacher' | 'studentNoKd' | 'studentKd', CurvePoint[]>;
  readonly kapMeta: number[];
  readonly deploy: DeployResult;
  /** Absent when the teacher was given as outputs: there is no superior encoder to deploy. */
  readonly multiModal?: MultiModalReport;
  /** Target metric by labelled-set size (`data.sweep`), each prior at the strength best on this seed's validation. */
  readonly sweep: Record<Method, number[]>;
}

export interface SeedResult {
  readonly seed: number;
  readonly higherIsBetter: boolean;
  readonly source: Pick<SourceStageResult, 'scores' | 'validation' | 'distill' | 'stepsRun'>;
  readonly kapStats: MetaLearnStats;
  /** By method, one result per strength of the grid (one for scratch and finetune). */
  readonly target: Record<Method, MethodResult[]>;
  /** Wall-clock seconds per stage. */
  readonly stages: Timings;
  /** The most memory the seed's thread held while it ran, MiB (jobMemory.ts; a measurement like `stages`). */
  readonly peakMemoryMb: number;
  readonly first?: FirstSeedExtras;
}

export interface SeedOptions {
  readonly seed: number;
  /** The first seed also plans the deployments and runs the learning-curve sweep. */
  readonly first: boolean;
  readonly devices: readonly DeviceProfile[];
  readonly kernels: KernelModule;
  readonly onProgress: ProgressSink;
  /** A user's dataset (fromManifest.ts), the same for every seed; absent: the config's scenario is generated. */
  readonly dataset?: ScenarioData;
}

const isFirst = (c: { readonly options: SeedOptions }): boolean => c.options.first;

// The fused deployment needs a superior encoder: a teacher given as outputs has none.
const plansMultiModal = (c: WithScenario): boolean => isFirst(c) && !c.scenario.data.givenTeacher;

/** The result with the best validation metric. */
export const bestByVal = (rs: readonly MethodResult[], higherIsBetter: boolean): MethodResult =>
  rs.reduce((b, r) => (isBetter(r.val, b.val, higherIsBetter) ? r : b));

/** What every stage of a seed can read. */
export interface SeedContext extends Timed {
  readonly config: Config;
  readonly options: SeedOptions;
  readonly rng: Rng;
}

/** The scenario's splits for this seed. */
export const scenarioOf = (c: SeedContext): { data: ScenarioData; task: TaskSpec } => {
  const cfg = c.config;
  const data =
    c.options.dataset ??
    generateScenario(cfg.scenario, c.options.seed, {
      sourceTrain: cfg.data.sourceTrain,
      targetTrain: Math.max(cfg.data.targetLabelled, ...cfg.data.sweep),
      targetTest: cfg.data.targetTest,
      handsTargetRoot: cfg.data.handsTargetRoot,
      gamma: cfg.data.gamma,
      shift: cfg.data.shift,
    });
  c.options.onProgress({ stage: 'scenario', step: 1, total: 1, message: `${data.name}, seed ${c.options.seed}` });
  return { data, task: taskFor(data, cfg) };
};

type WithScenario = SeedContext & { readonly scenario: { data: ScenarioData; task: TaskSpec } };
type WithSource = WithScenario & { readonly source: SourceStageResult };

/** The teacher and the CMKD student with its projection, bundled with the losses they were trained on. */
export const cmkdPartsOf = (c: WithSource): CmkdParts => {
  const { source: s, scenario } = c;
  return {
    student: s.studentKd,
    teacher: s.teacher,
    projection: s.projection,
    losses: {
      task: scenario.task.taskLoss,
      kd: scenario.task.kdLoss,
      align: (p: tf.Tensor, h: tf.Tensor) => featureAlign(p, h, 'cosine'),
      lambdaKd: s.distill.lambdaKd,
      lambdaFeat: s.distill.lambdaFeat,
    },
  };
};

const sourceOf = (c: WithScenario): Promise<SourceStageResult> =>
  runSourceStage({
    source: c.scenario.data.source,
    task: c.scenario.task,
    config: c.config,
    rng: c.rng.fork('source'),
    onProgress: c.options.onProgress,
    ...(c.scenario.data.givenTeacher ? { givenTeacher: c.scenario.data.givenTeacher } : {}),
  });

// The priors see only the labelled pairs (and the held-out validation split for KaP's outer loss).
const priorsOf = (c: WithSource): Promise<Priors> =>
  learnPriors(
    cmkdPartsOf(c),
    { train: c.source.labelled, val: c.scenario.data.source.val },
    c.scenario.task,
    c.config,
    c.rng.fork('priors'),
    c.options.onProgress,
  );

// Both modalities exist only on the source: the multi-modal deployment is planned there, once.
const multiModalOf = (c: WithSource): Promise<MultiModalReport> => {
  const { data, task } = c.scenario;
  return runMultiModalStage({
    teacher: c.source.teacher,
    student: c.source.studentKd,
    source: data.source,
    labelled: c.source.labelled,
    task,
    higherIsBetter: data.higherIsBetter,
    metricName: data.metric,
    modalityNames: data.modalities,
    devices: c.options.devices,
    kernels: c.options.kernels,
    calibrationMethod: calibrationMethodOf(c.config),
    calibrationSamples: c.config.compress.calibrationSamples,
    mixedBytesRatio: c.config.compress.mixedBytesRatio,
    headSteps: c.config.student.steps,
    rng: c.rng.fork('multi-modal'),
    onProgress: c.options.onProgress,
  });
};

type WithPriors = WithSource & { readonly priors: Priors };

/** A model's parameters and batch-norm statistics, as one parameter file. */
export const encodeModel = (m: Model): Uint8Array => encodeParams({ params: m.params, state: m.state }, m.name);

// The first seed's prior and float networks, encoded while they are alive: the run writes them.
const savedOf = (c: WithPriors): SavedModels => {
  const { data, task } = c.scenario;
  const record = studentRecordOf(data, c.config.student, task.outputs);
  const kap = c.priors.byMethod['kap']!;
  return {
    prior: encodePrior(withStudentRecord(kap, record)),
    ...(data.givenTeacher ? {} : { teacher: encodeModel(c.source.teacher) }),
    student: encodeModel(c.source.studentKd),
  };
};

/** The target methods at `labelled` labels; `keepKap` hands the best kap student to the caller. */
const targetAt = (c: WithPriors, labelled: number, rng: Rng, keepKap: boolean): Promise<TargetStageOutput> =>
  runTargetStage({
    target: c.scenario.data.target,
    studentSrc: c.source.studentKd,
    priors: c.priors,
    task: c.scenario.task,
    config: c.config,
    labelled,
    rng,
    onProgress: c.options.onProgress,
    keepKap,
  });

// The first seed keeps its best kap student for the deployment.
const targetOf = (c: WithPriors): Promise<TargetStageOutput> =>
  targetAt(c, c.config.data.targetLabelled, c.rng.fork('target'), isFirst(c));

type WithTarget = WithPriors & {
  readonly saved: SavedModels | null;
  readonly multiModal: MultiModalReport | null;
  readonly target: TargetStageOutput;
};

// Compress the kap student while it is alive.
const deployOf = (c: WithTarget): Promise<DeployResult> =>
  deployStudent({
    model: c.target.kept!.model,
    labelled: c.target.kept!.labelled,
    target: c.scenario.data.target,
    task: c.scenario.task,
    config: c.config,
    devices: c.options.devices,
    kernels: c.options.kernels,
    rng: c.rng,
    onProgress: c.options.onProgress,
  });

// The learning-curve sweep runs on the first seed only: it multiplies the target stage's cost.
const sweepOf = async (c: WithTarget): Promise<Record<Method, number[]>> => {
  const methods = targetMethods();
  const sweep: Record<Method, number[]> = Object.fromEntries(methods.map((m) => [m, []]));
  for (const size of c.config.data.sweep) {
    const r =
      size === c.config.data.targetLabelled
        ? c.target.results
        : (await targetAt(c, size, c.rng.fork(`sweep-${size}`), false)).results;
    for (const m of methods) sweep[m]!.push(bestByVal(r[m]!, c.scenario.task.higherIsBetter).score);
  }
  return sweep;
};

type Done = WithTarget & { readonly deploy: DeployResult | null; readonly sweep: Record<Method, number[]> | null };

/** The plain-data result of a finished seed. */
export const seedResultOf = (c: Done, peakMemoryMb: number): SeedResult => {
  const { data, task } = c.scenario;
  const s = c.source;
  const first: FirstSeedExtras | undefined =
    c.deploy && c.sweep && c.saved
      ? {
          data,
          saved: c.saved,
          sourceCurves: s.curves,
          kapMeta: c.priors.kapMetaLosses,
          deploy: c.deploy,
          ...(c.multiModal ? { multiModal: c.multiModal } : {}),
          sweep: c.sweep,
        }
      : undefined;
  return {
    seed: c.options.seed,
    higherIsBetter: task.higherIsBetter,
    source: { scores: s.scores, validation: s.validation, distill: s.distill, stepsRun: s.stepsRun },
    kapStats: c.priors.kapStats,
    target: c.target.results,
    stages: c.timings,
    peakMemoryMb,
    ...(first ? { first } : {}),
  };
};

const disposeSource = (c: WithSource): TE.TaskEither<KapriError, void> =>
  TE.fromIO(() => {
    c.source.teacher.dispose();
    c.source.studentKd.dispose();
    c.source.projection.dispose();
  });

const disposeKept = (c: WithTarget): TE.TaskEither<KapriError, void> => TE.fromIO(() => c.target.kept?.model.dispose());

/** The stages of a seed in the order they run: the first seed's, and every other seed's. */
export const SEED_STAGES = {
  first: ['scenario', 'source', 'prior', 'save', 'multi-modal', 'target', 'compress+deploy', 'sweep'],
  later: ['scenario', 'source', 'prior', 'target'],
} as const;

/** One seed as a TaskEither (training must be initialised: `initTraining`). */
export const seedStages = (config: Config, given: SeedOptions): TE.TaskEither<KapriError, SeedResult> => {
  const memory = peakMemory();
  const options: SeedOptions = { ...given, onProgress: sampledSink(memory, given.onProgress) };
  return pipe(
    TE.right<KapriError, SeedContext>({
      config,
      options,
      rng: createRng(options.seed),
      timings: {},
      onStageDone: (stage, seconds) =>
        options.onProgress({
          stage,
          step: 1,
          total: 1,
          message: `seed ${options.seed}`,
          stageDone: { seed: options.seed, stage, seconds },
        }),
    }),
    TE.chain(stage('scenario', 'scenario', scenarioOf)),
    TE.chain((c) =>
      TE.bracket(
        stage('source', 'source', sourceOf)(c),
        (c) =>
          pipe(
            stage('prior', 'priors', priorsOf)(c),
            TE.chain(stageIf('save', 'saved', isFirst, savedOf)),
            TE.chain(stageIf('multi-modal', 'multiModal', plansMultiModal, multiModalOf)),
            TE.chain((c) =>
              TE.bracket(
                stage('target', 'target', targetOf)(c),
                (c) =>
                  pipe(
                    stageIf('compress+deploy', 'deploy', isFirst, deployOf)(c),
                    TE.chain(stageIf('sweep', 'sweep', isFirst, sweepOf)),
                    TE.map((c) => seedResultOf(c, memory.peakMb())),
                  ),
                disposeKept,
              ),
            ),
          ),
        disposeSource,
      ),
    ),
  );
};

/** Runs one seed; throws its KapriError (training must be initialised: `initTraining`). */
export const runSeed = (config: Config, options: SeedOptions): Promise<SeedResult> =>
  runOrThrow(seedStages(config, options));
