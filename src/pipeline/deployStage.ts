/**
 * Compression and deployment of the final student: int8 export, a mixed 8/4-bit export (int4 for the
 * layers whose sensitivity trace(F)·‖Q(W) − W‖² per byte saved is smallest), their target metric on
 * the kernel executor, latency measured on the kernels, and the best plan per device under its budget.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as E from 'fp-ts/lib/Either.js';
import type { Target } from '../data/dataset.js';
import { exportQModel } from '../compress/exportQModel.js';
import type { CalibrationMethod } from '../compress/calibration.js';
import { flattenParams } from '../nn/paramTree.js';
import type { Model } from '../nn/model.js';
import { allocate, planFrontier, type ModalityOptions } from '../resource/allocator.js';
import { networkCost } from '../resource/costModel.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import type { KernelModule } from '../kernels/loader.js';
import type { Executor } from '../runtime/executor.js';
import { createKernelExecutor } from '../runtime/kernelExecutor.js';
import { decodeQModel } from '../runtime/qmodelFile.js';
import type { DeploymentEntry, Report } from './report.js';
import type { TaskSpec } from './taskSpec.js';
import { predictAll } from './tensorBatches.js';
import { medianMs } from '../core/medianMs.js';
import { chooseInt4Layers, type FisherBatches } from './mixedPrecision.js';

export interface DeployResult {
  readonly compression: Report['compression'];
  readonly deployment: DeploymentEntry[];
  readonly int8Bytes: Uint8Array;
  readonly latencyMeasuredOn: string;
}

const evalExecutor = (exe: Executor, test: Target, task: TaskSpec): number => task.metric(exe.run(test.weak.data, test.n)['output']!, test.label!);

export const runDeployStage = (i: {
  model: Model;
  calibration: tf.Tensor;
  test: Target;
  task: TaskSpec;
  devices: readonly DeviceProfile[];
  mixedBytesRatio: number;
  calibrationMethod: CalibrationMethod;
  fisherBatches: FisherBatches;
  /** The kernels the exported models run on (metric and latency). */
  kernels: KernelModule;
}): DeployResult => {
  const onKernels = (bytes: Uint8Array) => {
    const decoded = decodeQModel(bytes);
    if (E.isLeft(decoded)) throw decoded.left;
    return createKernelExecutor(decoded.right, i.kernels);
  };
  const { model, task } = i;
  const floatPred = predictAll(i.test.weak, i.test.n, (x) => model.forward([x], { training: false }).output);
  const floatMetric = task.metric(floatPred, i.test.label!);
  const floatBytes = flattenParams(model.params).reduce((a, [, v]) => a + v.size * 4, 0);
  const int8 = exportQModel(model, i.calibration, { calibration: i.calibrationMethod, meta: { task: task.outputs } });
  const int8Exe = onKernels(int8);
  const int8Metric = evalExecutor(int8Exe, i.test, task);
  // Mixed precision: int4 where the sensitivity per byte saved is smallest, to a byte budget.
  const int4Layers = chooseInt4Layers(model, i.fisherBatches, task, i.mixedBytesRatio);
  const mixed = exportQModel(model, i.calibration, { calibration: i.calibrationMethod, int4Layers });
  const mixedExe = onKernels(mixed);
  const mixedMetric = evalExecutor(mixedExe, i.test, task);
  // Latency: one sample, median of repeated runs on the kernels.
  const sample = i.test.weak.data.subarray(0, int8Exe.inputShape.reduce((a, b) => a * b, 1));
  const lat8 = medianMs(() => int8Exe.run(sample), 21);
  const latMixed = medianMs(() => mixedExe.run(sample), 21);
  int8Exe.dispose();
  mixedExe.dispose();
  const peakAct = networkCost(model.encoders[0]!.spec).peakActivationElements;
  const options: ModalityOptions[] = [
    {
      modality: 'weak',
      options: [
        { id: 'int8', bytes: int8.length + peakAct, latencyMs: lat8, value: int8Metric },
        { id: 'mixed-8/4', bytes: mixed.length + peakAct, latencyMs: latMixed, value: mixedMetric },
      ],
    },
  ];
  const metricOf: Record<string, number> = { int8: int8Metric, 'mixed-8/4': mixedMetric };
  const deployment = i.devices.map((d): DeploymentEntry => {
    const scaled = options.map((m) => ({ ...m, options: m.options.map((o) => ({ ...o, latencyMs: o.latencyMs / d.relativeSpeed })) }));
    const budget = { memoryBytes: d.memoryBytes, latencyMs: d.latencyMs };
    const r = allocate(scaled, budget);
    if (E.isRight(r)) return { device: d.name, budget, plan: { ...r.right.choice }, memoryBytes: r.right.bytes, latencyMs: r.right.latencyMs, metric: metricOf[r.right.choice['weak']!]!, fits: true };
    // Nothing fits: report the smallest plan and say it does not fit.
    const front = planFrontier(scaled);
    const smallest = E.isRight(front) ? [...front.right].sort((a, b) => a.bytes - b.bytes)[0]! : null;
    return { device: d.name, budget, plan: smallest ? { ...smallest.choice } : {}, memoryBytes: smallest?.bytes ?? 0, latencyMs: smallest?.latencyMs ?? 0, metric: smallest ? metricOf[smallest.choice['weak']!]! : Number.NaN, fits: false };
  });
  return {
    compression: { float: { bytes: floatBytes, metric: floatMetric }, int8: { bytes: int8.length, metric: int8Metric }, mixed: { bytes: mixed.length, metric: mixedMetric, int4Layers } },
    deployment,
    int8Bytes: int8,
    latencyMeasuredOn: `the kapri '${i.kernels.build}' WebAssembly kernels on one thread of this machine (1 sample, median of 21), divided by each device profile's relative speed`,
  };
};
