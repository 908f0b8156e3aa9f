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
import { subsetTarget } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import type { CmkdParts } from '../distill/cmkd.js';
import { featureAlign } from '../distill/losses/featureLosses.js';
import type { CalibrationMethod } from '../compress/calibration.js';
import type { KernelModule } from '../kernels/loader.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import { generateScenario } from '../scenarios/index.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { Config } from './config.js';
import { runDeployStage, type DeployResult } from './deployStage.js';
import { runMultiModalStage, type MultiModalReport } from './multiModalStage.js';
import { runSourceStage, type SourceStageResult } from './sourceStage.js';
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
import { classTask, isBetter, keypointTask, type TaskSpec } from './taskSpec.js';
import { firstRows } from './tensorBatches.js';

/** The task of a scenario's labels. */
export const taskFor = (d: ScenarioData, c: Config): TaskSpec => {
  const l = d.source.train.label ?? d.target.train.label!;
  return l.kind === 'classes' ? classTask(l.classes, c.distill.temperature) : keypointTask(l);
};

const calibrationMethodOf = (c: Config): CalibrationMethod =>
  c.compress.calibration === 'percentile'
    ? { kind: 'percentile', percentile: c.compress.percentile }
    : { kind: c.compress.calibration };

/** What the first seed adds: the deployment, the fused model, the curves and the data preview. */
export interface FirstSeedExtras {
  readonly data: ScenarioData;
  readonly sourceCurves: Record<'teacher' | 'studentNoKd' | 'studentKd', CurvePoint[]>;
  readonly kapMeta: number[];
  readonly deploy: DeployResult;
  readonly multiModal: MultiModalReport;
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
  readonly first?: FirstSeedExtras;
}

export interface SeedOptions {
  readonly seed: number;
  /** The first seed also plans the deployments and runs the learning-curve sweep. */
  readonly first: boolean;
  readonly devices: readonly DeviceProfile[];
  readonly kernels: KernelModule;
  readonly onProgress: ProgressSink;
}

const isFirst = (c: { readonly options: SeedOptions }): boolean => c.options.first;

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
  const data = generateScenario(cfg.scenario, c.options.seed, {
    sourceTrain: cfg.data.sourceTrain,
    targetTrain: Math.max(cfg.data.targetLabelled, ...cfg.data.sweep),
    targetTest: cfg.data.targetTest,
    handsTargetRoot: cfg.data.handsTargetRoot,
    gamma: cfg.data.gamma,
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

type WithTarget = WithPriors & { readonly multiModal: MultiModalReport | null; readonly target: TargetStageOutput };

// Compress the kap student while it is alive; calibration needs no labels.
const deployOf = async (c: WithTarget): Promise<DeployResult> => {
  const { data, task } = c.scenario;
  const cfg = c.config;
  const kept = c.target.kept!;
  const pool = subsetTarget(
    data.target.train,
    labelledSubset(
      data.target.train.n,
      Math.min(cfg.compress.calibrationSamples, data.target.train.n),
      c.rng.fork('calibration'),
    ),
  );
  const calibration = firstRows(pool.weak, pool.n);
  try {
    return await runDeployStage({
      model: kept.model,
      calibration,
      labelled: kept.labelled,
      val: data.target.val,
      test: data.target.test,
      task,
      higherIsBetter: data.higherIsBetter,
      devices: c.options.devices,
      mixedBytesRatio: cfg.compress.mixedBytesRatio,
      calibrationMethod: calibrationMethodOf(cfg),
      prune: {
        sparsity: cfg.compress.pruneSparsity,
        steps: Math.max(1, Math.round(cfg.target.steps / 2)),
        lr: cfg.target.lr,
        batchSize: cfg.target.batchSize,
      },
      kernels: c.options.kernels,
      rng: c.rng.fork('deploy'),
      onProgress: c.options.onProgress,
    });
  } finally {
    calibration.dispose();
  }
};

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
export const seedResultOf = (c: Done): SeedResult => {
  const { data, task } = c.scenario;
  const s = c.source;
  const first: FirstSeedExtras | undefined =
    c.deploy && c.multiModal && c.sweep
      ? {
          data,
          sourceCurves: s.curves,
          kapMeta: c.priors.kapMetaLosses,
          deploy: c.deploy,
          multiModal: c.multiModal,
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
  first: ['scenario', 'source', 'prior', 'multi-modal', 'target', 'compress+deploy', 'sweep'],
  later: ['scenario', 'source', 'prior', 'target'],
} as const;

/** One seed as a TaskEither (training must be initialised: `initTraining`). */
export const seedStages = (config: Config, options: SeedOptions): TE.TaskEither<KapriError, SeedResult> =>
  pipe(
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
            TE.chain(stageIf('multi-modal', 'multiModal', isFirst, multiModalOf)),
            TE.chain((c) =>
              TE.bracket(
                stage('target', 'target', targetOf)(c),
                (c) =>
                  pipe(
                    stageIf('compress+deploy', 'deploy', isFirst, deployOf)(c),
                    TE.chain(stageIf('sweep', 'sweep', isFirst, sweepOf)),
                    TE.map(seedResultOf),
                  ),
                disposeKept,
              ),
            ),
          ),
        disposeSource,
      ),
    ),
  );

/** Runs one seed; throws its KapriError (training must be initialised: `initTraining`). */
export const runSeed = (config: Config, options: SeedOptions): Promise<SeedResult> =>
  runOrThrow(seedStages(config, options));
