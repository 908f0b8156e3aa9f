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
import { chooseMixedPrecision } from '../compress/sensitivity.js';
import { quantizationError, quantizeWeights } from '../compress/weightQuant.js';
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

export interface DeployResult {
  readonly compression: Report['compression'];
  readonly deployment: DeploymentEntry[];
  readonly int8Bytes: Uint8Array;
  readonly latencyMeasuredOn: string;
}

const medianMs = (f: () => void, reps: number): number => {
  f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1]!;
};

const evalExecutor = (exe: Executor, test: Target, task: TaskSpec): number => task.metric(exe.run(test.weak.data, test.n)['output']!, test.label!);

/** Trace of the diagonal Fisher per weight tensor of the student, from squared gradients of the task loss. */
const fisherTraces = (model: Model, batches: (k: number) => { x: tf.Tensor; y: tf.Tensor }, task: TaskSpec, n: number): Map<string, number> => {
  const weights = flattenParams(model.params).filter(([p]) => p.endsWith('/w') || p === 'shortcut');
  const traces = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const { x, y } = batches(k);
    const { value, grads } = tf.variableGrads(() => task.taskLoss(model.forward([x], { training: false }).output, y), weights.map(([, v]) => v));
    for (const [p, v] of weights) traces.set(p, (traces.get(p) ?? 0) + tf.tidy(() => tf.sum(tf.square(grads[v.name]!)).dataSync()[0]!) / n);
    tf.dispose([value, x, y, ...Object.values(grads)]);
  }
  return traces;
};

export const runDeployStage = (i: {
  model: Model;
  calibration: tf.Tensor;
  test: Target;
  task: TaskSpec;
  devices: readonly DeviceProfile[];
  mixedBytesRatio: number;
  calibrationMethod: CalibrationMethod;
  fisherBatches: (k: number) => { x: tf.Tensor; y: tf.Tensor };
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
  const traces = fisherTraces(model, i.fisherBatches, task, 4);
  const layers = flattenParams(model.params)
    .filter(([p]) => traces.has(p))
    .map(([p, v]) => {
      const w = v.dataSync() as Float32Array;
      const cout = v.shape[v.shape.length - 1]!;
      // Parameter paths say res/body/a; the exporter names that layer res/a.
      return { name: p.replace(/\/w$/, '').replace('/body/', '/'), params: w.length, fisherTrace: traces.get(p)!, errorInt8: quantizationError(w, quantizeWeights(w, cout, 8)), errorInt4: quantizationError(w, quantizeWeights(w, cout, 4)) };
    })
    // Depthwise layers stay int8 in the runtime.
    .filter((l) => !l.name.includes('depthwise'));
  const weightBytes8 = layers.reduce((a, l) => a + l.params, 0);
  const bits = chooseMixedPrecision(layers, Math.floor(weightBytes8 * i.mixedBytesRatio));
  const int4Layers = Object.entries(bits).filter(([, b]) => b === 4).map(([n]) => n);
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
