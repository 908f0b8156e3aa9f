/**
 * `kapri bench`: runs every bench section in one process and returns the report of the JSON
 * contract (docs/contracts.md). Sections live next to this file, one per concern.
 */
import { capabilities } from '../src/kernels/loader.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import type { BenchReport, BenchSummary } from './report.js';
import { benchTrainStep } from './trainStep.js';
import { benchInt8Kernels, IDLE_GAP_MS } from './kernelsInt8.js';
import { hostWakeNote, probeHostWake } from './hostWake.js';
import { benchModelInference } from './modelInference.js';
import { benchF32Kernels } from './kernelsF32.js';
import { benchCostModel } from './costModel.js';
import { benchScenarios } from './scenarios.js';
import { benchGauss, benchPriorCost, benchStudentStep } from './science.js';
import { benchValidity, withFaults } from './validity.js';
import { benchModelsEndToEnd } from './modelsEndToEnd.js';
import { benchModels } from './endToEndModels.js';
import { benchOrtKernels, besideKernelRows } from './kernelsOrt.js';
import { nodeOrtPeers } from './ortPeers.js';

/** Runs the bench. `threads` defaults to every core. */
export const runBench = async (opts: BenchOptions): Promise<BenchReport> => {
  const caps = await capabilities();
  const cases: BenchCase[] = [];
  const notes: string[] = [];
  const int8 = await benchInt8Kernels(opts);
  const ortKernels = await benchOrtKernels({ ...opts, peers: nodeOrtPeers });
  cases.push(...besideKernelRows(int8.cases, ortKernels.cases));
  const roofline: BenchReport['roofline'] = {
    int8Gops: int8.roofline,
    f32Gflops: null,
    int8Variants: [...int8.rooflineVariants],
    int8Runs: [...int8.rooflineRuns],
    int8RelaxedGops: null,
    int8RelaxedVariants: [],
  };
  notes.push(...int8.notes, ...ortKernels.notes);
  const model = await benchModelInference(opts);
  cases.push(...model.cases);
  notes.push(...model.notes);
  const hostWake = opts.threads > 1 ? await probeHostWake({ idleGapMs: IDLE_GAP_MS, reps: opts.quick ? 5 : 21 }) : null;
  if (hostWake) notes.push(hostWakeNote(hostWake));

  const cost = await benchCostModel(opts);
  notes.push(
    `kernel cost model (fitted on its own calibration shapes): largest error on the bench shapes ${cost.maxAbsErrorPct.toFixed(1)}%`,
  );

  const f32 = await benchF32Kernels(opts);
  cases.push(...f32.cases);
  roofline.f32Gflops = f32.f32RooflineGflops;

  const models = await benchModelsEndToEnd({ ...opts, peers: nodeOrtPeers, models: await benchModels() });
  cases.push(...models.cases);
  notes.push(...models.notes);

  cases.push(...(await benchScenarios(opts)));

  const ts = await benchTrainStep(opts);
  cases.push(...ts.cases);

  const student = await benchStudentStep(opts);
  cases.push(...student.cases);
  const prior = await benchPriorCost(opts);
  cases.push(...prior.cases);
  const gauss = await benchGauss(opts);

  const summary: BenchSummary = {
    conv2dInt8VsTfjsF32: int8.conv2dInt8VsTfjsF32,
    conv2dInt8VsTfjsF32OneThread: int8.conv2dInt8VsTfjsF32OneThread,
    conv2dInt8VsTfjsF32Pooled: int8.conv2dInt8VsTfjsF32Pooled,
    rooflineFraction: int8.rooflineFraction,
    threadScaling: int8.threadScaling,
    threadScalingIdleGap: int8.threadScalingIdleGap,
    modelThreadScaling: model.scaling,
    modelThreadScalingIdleGap: model.scalingIdleGap,
    modelThreadScalingOrtNode: model.peerScaling,
    modelThreadScalingIdleGapOrtNode: model.peerScalingIdleGap,
    projectionF32VsTfjs: f32.projectionF32VsTfjs,
    trainStepWasmVsCpu: ts.trainStepWasmVsCpu,
    relaxedVsBaseline: null,
    ...models.summary,
    validity: withFaults(benchValidity({ cases, roofline, int8RooflineRuns: int8.rooflineRuns, hostWake }), [
      ...ortKernels.faults,
      ...model.faults,
      ...models.faults,
    ]),
  };

  notes.push(
    `relaxedVsBaseline: null here: ${caps.relaxedSimd.dotI8I7Add ? 'the relaxed int8 path is measured by kapri bench --browser (Chromium)' : `Node ${process.versions.node} computes i32x4.relaxed_dot_i8x16_i7x16_add_s wrongly (its known-answer probe failed), so the relaxed int8 path never runs here; kapri bench --browser measures it in Chromium`}`,
  );
  return {
    version: 1,
    date: new Date().toISOString(),
    machine: {
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      cores: caps.hardwareConcurrency,
      build: caps.build,
    },
    quick: opts.quick,
    threads: opts.threads,
    cases,
    roofline,
    summary,
    science: { studentStepWasmVsCpu: student.ratio, priorLearningVsCmkd: prior.ratio, gauss, costModel: cost.checks },
    notes,
  };
};
