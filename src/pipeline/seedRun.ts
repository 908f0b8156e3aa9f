/**
 * One seed of the pipeline: scenario → teacher → CMKD → priors → target methods; on the first seed
 * also the learning-curve sweep, the multi-modal deployment and the compression of the `kap` student.
 * A seed depends on nothing but the config and its seed, so seeds run in any order or in parallel
 * (seedPool.ts) with the same numbers. The result is plain data (structured-cloneable).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../core/rng.js';
import type { ProgressSink } from '../core/progress.js';
import { subsetTarget } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import { featureAlign } from '../distill/losses/featureLosses.js';
import type { CalibrationMethod } from '../compress/calibration.js';
import type { KernelModule } from '../kernels/loader.js';
import type { Model } from '../nn/model.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import { generateScenario } from '../scenarios/index.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { CurvePoint } from '../train/trainLoop.js';
import type { Config } from './config.js';
import { runDeployStage, type DeployResult } from './deployStage.js';
import { runMultiModalStage, type MultiModalReport } from './multiModalStage.js';
import { runSourceStage, type SourceStageResult } from './sourceStage.js';
import { learnPriors, runTargetStage, targetMethods, type Method, type MethodResult } from './targetStage.js';
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
  readonly stages: Record<string, number>;
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

/** The result with the best validation metric. */
export const bestByVal = (rs: readonly MethodResult[], higherIsBetter: boolean): MethodResult =>
  rs.reduce((b, r) => (isBetter(r.val, b.val, higherIsBetter) ? r : b));

/** Runs one seed (training must be initialised: `initTraining`). */
export const runSeed = async (c: Config, o: SeedOptions): Promise<SeedResult> => {
  const { seed, kernels } = o;
  const progress = o.onProgress;
  const stages: Record<string, number> = {};
  const time = async <A>(name: string, f: () => Promise<A> | A): Promise<A> => {
    const s = performance.now();
    const r = await f();
    stages[name] = (stages[name] ?? 0) + (performance.now() - s) / 1000;
    return r;
  };
  const rng = createRng(seed);
  const data = await time('scenario', () =>
    generateScenario(c.scenario, seed, {
      sourceTrain: c.data.sourceTrain,
      targetTrain: Math.max(c.data.targetLabelled, ...c.data.sweep),
      targetTest: c.data.targetTest,
      handsTargetRoot: c.data.handsTargetRoot,
      gamma: c.data.gamma,
    }),
  );
  progress({ stage: 'scenario', step: 1, total: 1, message: `${data.name}, seed ${seed}` });
  const task = taskFor(data, c);
  const s = await time('source', () =>
    runSourceStage({ source: data.source, task, config: c, rng: rng.fork('source'), onProgress: progress }),
  );
  try {
    const parts = {
      student: s.studentKd,
      teacher: s.teacher,
      projection: s.projection,
      losses: {
        task: task.taskLoss,
        kd: task.kdLoss,
        align: (p: tf.Tensor, h: tf.Tensor) => featureAlign(p, h, 'cosine'),
        lambdaKd: s.distill.lambdaKd,
        lambdaFeat: s.distill.lambdaFeat,
      },
    };
    // The priors see only the labelled pairs (and the held-out validation split for KaP's outer loss).
    const priors = await time('prior', () =>
      learnPriors(parts, { train: s.labelled, val: data.source.val }, task, c, rng.fork('priors'), progress),
    );
    // Both modalities exist only on the source: the multi-modal deployment is planned there, once.
    const multiModal = o.first
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
    const target = await time('target', () =>
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
          if (!o.first) return;
          // Compress the kap student while it is alive; calibration needs no labels.
          const pool = subsetTarget(
            data.target.train,
            labelledSubset(
              data.target.train.n,
              Math.min(c.compress.calibrationSamples, data.target.train.n),
              rng.fork('calibration'),
            ),
          );
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
              prune: {
                sparsity: c.compress.pruneSparsity,
                steps: Math.max(1, Math.round(c.target.steps / 2)),
                lr: c.target.lr,
                batchSize: c.target.batchSize,
              },
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
    // The learning-curve sweep runs on the first seed only: it multiplies the target stage's cost.
    let first: FirstSeedExtras | undefined;
    if (o.first) {
      const methods = targetMethods();
      const sweep: Record<Method, number[]> = Object.fromEntries(methods.map((m) => [m, []]));
      await time('sweep', async () => {
        for (const size of c.data.sweep) {
          const r =
            size === c.data.targetLabelled
              ? target
              : await runTargetStage({
                  target: data.target,
                  studentSrc: s.studentKd,
                  priors,
                  task,
                  config: c,
                  labelled: size,
                  rng: rng.fork(`sweep-${size}`),
                  onProgress: progress,
                });
          for (const m of methods) sweep[m]!.push(bestByVal(r[m]!, task.higherIsBetter).score);
        }
      });
      first = {
        data,
        sourceCurves: s.curves,
        kapMeta: priors.kapMetaLosses,
        deploy: deploy!,
        multiModal: multiModal!,
        sweep,
      };
    }
    return {
      seed,
      higherIsBetter: task.higherIsBetter,
      source: { scores: s.scores, validation: s.validation, distill: s.distill, stepsRun: s.stepsRun },
      kapStats: priors.kapStats,
      target,
      stages,
      ...(first ? { first } : {}),
    };
  } finally {
    s.teacher.dispose();
    s.studentKd.dispose();
    s.projection.dispose();
  }
};
