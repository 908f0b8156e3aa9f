/**
 * Compression and deployment of the final student on the target (docs/methods.md §3). The weak modality's
 * options are the student in int8 and in mixed 8/4 (int4 where the sensitivity trace(F)·‖Q(W) − W‖²
 * per byte saved is smallest), and the channel-pruned student (a short fine-tune on the labelled
 * target, then the same two exports). Every option is measured on the kernels: bytes (the QModel and
 * its activations), latency (one sample, median of 21), and the target metric on validation (the
 * value the allocator maximises) and test (what the report states). Each device gets the governor's
 * plan from the stored Pareto frontier.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as E from 'fp-ts/lib/Either.js';
import { medianMs } from '../core/medianMs.js';
import type { ProgressSink } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { sampleSize, subsetTarget, type Target } from '../data/dataset.js';
import { labelledSubset } from '../data/splits.js';
import type { CalibrationMethod } from '../compress/calibration.js';
import { pruneChannels } from '../compress/channelPrune.js';
import { exportQModel } from '../compress/exportQModel.js';
import type { KernelModule } from '../kernels/loader.js';
import type { Model } from '../nn/model.js';
import { flattenParams } from '../nn/paramTree.js';
import { trainTarget } from '../priors/targetTraining.js';
import { planFrontier, type ModalityOption } from '../resource/allocator.js';
import { networkCost } from '../resource/costModel.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import { createGovernor, planForDevice } from '../resource/governor.js';
import { kernelExecutorFromBytes } from '../runtime/kernelExecutor.js';
import { chooseInt4Layers, cyclingBatches } from './mixedPrecision.js';
import type { DeploymentEntry, Report } from './report.js';
import type { TaskSpec } from './taskSpec.js';
import type { Config } from './config.js';
import { firstRows, predictAll, targetBatches } from './tensorBatches.js';

export interface DeployResult {
  readonly compression: Report['compression'];
  readonly deployment: DeploymentEntry[];
  /** The QModel bytes of every option, by id (`int8`, `mixed-8/4`, `pruned50-int8`, …): what a plan deploys. */
  readonly optionBytes: Readonly<Record<string, Uint8Array>>;
  readonly latencyMeasuredOn: string;
}

/**
 * The bytes of the plan chosen for a device: `device`'s entry in the deployment, or the first
 * device's when `device` is absent; the int8 model when no device was planned.
 *
 * @example
 * writeFileSync('model.kapri', planBytes(deploy)); // exactly what report.json's first plan says
 */
export const planBytes = (d: DeployResult, device?: string): Uint8Array => {
  const entry = device === undefined ? d.deployment[0] : d.deployment.find((e) => e.device === device);
  const id = entry ? entry.plan['weak']! : 'int8';
  return d.optionBytes[id]!;
};

export interface DeployInput {
  /** The final student (it is not modified). */
  readonly model: Model;
  /** Unlabelled target samples for activation calibration. */
  readonly calibration: tf.Tensor;
  /** The target's labelled subset: the only labels (Fisher traces, the pruned student's fine-tune). */
  readonly labelled: Target;
  readonly val: Target;
  readonly test: Target;
  readonly task: TaskSpec;
  readonly higherIsBetter: boolean;
  readonly devices: readonly DeviceProfile[];
  readonly mixedBytesRatio: number;
  readonly calibrationMethod: CalibrationMethod;
  /** Channel pruning: the share of channels removed at each prunable layer, and the fine-tune after it. */
  readonly prune: {
    readonly sparsity: number;
    readonly steps: number;
    readonly lr: number;
    readonly batchSize: number;
  };
  /** The kernels the exported models run on (metric and latency). */
  readonly kernels: KernelModule;
  readonly rng: Rng;
  readonly onProgress?: ProgressSink;
}

interface Variant {
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly peakActivationBytes: number;
  readonly latencyMs: number;
  readonly val: number;
  readonly test: number;
}

const floatMetric = (m: Model, d: Target, task: TaskSpec): number =>
  task.metric(
    predictAll(d.weak, d.n, (x) => m.forward([x], { training: false }).output),
    d.label!,
  );

/** Bytes of the float model as it runs: parameters and batch-norm statistics, float32. */
const floatBytes = (m: Model): number =>
  [...flattenParams(m.params), ...flattenParams(m.state)].reduce((a, [, v]) => a + v.size * 4, 0);

export const runDeployStage = async (i: DeployInput): Promise<DeployResult> => {
  const { task, labelled } = i;
  const sign = i.higherIsBetter ? 1 : -1;
  const fisherBatches = cyclingBatches(labelled.weak, labelled.label!, labelled.n, task.labelScale);
  /** Exports, runs on the kernels and measures one option. */
  const variant = (m: Model, id: string, int4Layers: readonly string[], int7 = false): Variant => {
    const bytes = exportQModel(m, i.calibration, {
      calibration: i.calibrationMethod,
      int4Layers,
      int7,
      meta: task.outputMeta,
    });
    const exe = kernelExecutorFromBytes(bytes, i.kernels);
    try {
      const metric = (d: Target) => task.metric(exe.run(d.weak.data, d.n)['output']!, d.label!);
      const sample = i.test.weak.data.subarray(0, sampleSize(i.test.weak.shape));
      return {
        id,
        bytes,
        peakActivationBytes: networkCost(m.encoders[0]!.spec).peakActivationElements,
        latencyMs: medianMs(() => exe.run(sample), 21),
        val: metric(i.val),
        test: metric(i.test),
      };
    } finally {
      exe.dispose();
    }
  };
  const { model } = i;
  const int4Layers = chooseInt4Layers(model, fisherBatches, task, i.mixedBytesRatio);
  const int8 = variant(model, 'int8', []);
  // the 7-bit form is measured beside int8 (its accuracy cost), not offered to the device planner:
  // its speed-up exists only where the relaxed dot runs (browsers), not in this process
  const int7 = variant(model, 'int7', [], true);
  const mixed = variant(model, 'mixed-8/4', int4Layers);

  // Channel pruning, then a short fine-tune on the labelled target (no prior: it only repairs the cut).
  const { model: small, pruned } = pruneChannels(model, i.prune.sparsity, i.rng.fork('pruned-init'));
  try {
    await trainTarget({
      model: small,
      batches: targetBatches(labelled, i.prune.batchSize, i.rng.fork('pruned-batches'), task.labelScale),
      prior: null,
      taskLoss: task.taskLoss,
      config: {
        steps: i.prune.steps,
        lr: i.prune.lr,
        optimizer: { kind: 'adam' },
        evalEvery: Math.max(1, Math.floor(i.prune.steps / 5)),
      },
      validate: () => floatMetric(small, i.val, task),
      higherIsBetter: i.higherIsBetter,
      ...(i.onProgress ? { onProgress: (e) => i.onProgress!({ ...e, stage: 'pruned fine-tune' }) } : {}),
    });
    const pct = Math.round(i.prune.sparsity * 100);
    const smallInt4 = chooseInt4Layers(small, fisherBatches, task, i.mixedBytesRatio);
    const prunedInt8 = variant(small, `pruned${pct}-int8`, []);
    const prunedMixed = variant(small, `pruned${pct}-mixed-8/4`, smallInt4);
    const variants = [int8, mixed, prunedInt8, prunedMixed];

    const options: ModalityOption[] = variants.map((v) => ({
      id: v.id,
      bytes: v.bytes.length + v.peakActivationBytes,
      latencyMs: v.latencyMs,
      value: sign * v.val,
    }));
    const front = E.getOrElseW((e: Error) => {
      throw e;
    })(planFrontier([{ modality: 'weak', options }]));
    const governor = createGovernor(front);
    const byId = new Map(variants.map((v) => [v.id, v]));
    const deployment = i.devices.map((d): DeploymentEntry => {
      const { plan, fits } = planForDevice(governor, d);
      const v = byId.get(plan.choice['weak']!)!;
      return {
        device: d.name,
        budget: { memoryBytes: d.memoryBytes, latencyMs: d.latencyMs },
        plan: { ...plan.choice },
        memoryBytes: plan.bytes,
        latencyMs: plan.latencyMs / d.relativeSpeed,
        metric: v.test,
        fits,
      };
    });
    return {
      compression: {
        float: { bytes: floatBytes(model), metric: floatMetric(model, i.test, task) },
        int8: { bytes: int8.bytes.length, metric: int8.test },
        mixed: { bytes: mixed.bytes.length, metric: mixed.test, int4Layers },
        int7: { bytes: int7.bytes.length, metric: int7.test },
        pruned: {
          sparsity: i.prune.sparsity,
          fineTuneSteps: i.prune.steps,
          layers: pruned.map((p) => ({ layer: p.layer, before: p.before, after: p.kept.length })),
          float: { bytes: floatBytes(small), metric: floatMetric(small, i.test, task) },
          int8: { bytes: prunedInt8.bytes.length, metric: prunedInt8.test },
          mixed: { bytes: prunedMixed.bytes.length, metric: prunedMixed.test, int4Layers: smallInt4 },
        },
        options: variants.map((v) => ({
          id: v.id,
          bytes: v.bytes.length + v.peakActivationBytes,
          latencyMs: v.latencyMs,
          val: v.val,
          test: v.test,
        })),
      },
      deployment,
      optionBytes: Object.fromEntries(variants.map((v) => [v.id, v.bytes])),
      latencyMeasuredOn: `the kapri '${i.kernels.build}' WebAssembly kernels on one thread of this machine (1 sample, median of 21), divided by each device profile's relative speed`,
    };
  } finally {
    small.dispose();
  }
};

/** The calibration method the config names. */
export const calibrationMethodOf = (c: Config): CalibrationMethod =>
  c.compress.calibration === 'percentile'
    ? { kind: 'percentile', percentile: c.compress.percentile }
    : { kind: c.compress.calibration };

/** What compressing and deploying a trained target student needs (see {@link deployStudent}). */
export interface DeployStudentInput {
  /** The trained student (not modified) and the labelled subset it saw. */
  readonly model: Model;
  readonly labelled: Target;
  readonly target: { readonly train: Target; readonly val: Target; readonly test: Target };
  readonly task: TaskSpec;
  readonly config: Config;
  readonly devices: readonly DeviceProfile[];
  readonly kernels: KernelModule;
  /** Forked here as 'calibration' and 'deploy'. */
  readonly rng: Rng;
  readonly onProgress?: ProgressSink;
}

/**
 * Compresses a trained target student and plans every device (`runDeployStage`), calibrated on
 * samples of the target's train split (calibration needs no labels). The run's seeds and `kapri
 * target` deploy their students the same way.
 */
export const deployStudent = async (i: DeployStudentInput): Promise<DeployResult> => {
  const cfg = i.config;
  const train = i.target.train;
  const pool = subsetTarget(
    train,
    labelledSubset(train.n, Math.min(cfg.compress.calibrationSamples, train.n), i.rng.fork('calibration')),
  );
  const calibration = firstRows(pool.weak, pool.n);
  try {
    return await runDeployStage({
      model: i.model,
      calibration,
      labelled: i.labelled,
      val: i.target.val,
      test: i.target.test,
      task: i.task,
      higherIsBetter: i.task.higherIsBetter,
      devices: i.devices,
      mixedBytesRatio: cfg.compress.mixedBytesRatio,
      calibrationMethod: calibrationMethodOf(cfg),
      prune: {
        sparsity: cfg.compress.pruneSparsity,
        steps: Math.max(1, Math.round(cfg.target.steps / 2)),
        lr: cfg.target.lr,
        batchSize: cfg.target.batchSize,
      },
      kernels: i.kernels,
      rng: i.rng.fork('deploy'),
      ...(i.onProgress ? { onProgress: i.onProgress } : {}),
    });
  } finally {
    calibration.dispose();
  }
};
