/**
 * `kapri bench`: runs every bench section in one process and returns the report of the JSON
 * contract (DESIGN.md). Sections live next to this file, one per concern.
 */
import { capabilities } from '../src/kernels/loader.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import type { BenchReport, BenchSummary } from './report.js';
import { benchTrainStep } from './trainStep.js';
import { benchScenarios } from './scenarios.js';
import { benchGauss, benchPriorCost, benchStudentStep } from './science.js';

/** Runs the bench. `threads` defaults to every core. */
export const runBench = async (opts: BenchOptions): Promise<BenchReport> => {
  const caps = await capabilities();
  const cases: BenchCase[] = [];
  const notes: string[] = [];
  const summary: BenchSummary = {
    conv2dInt8VsTfjsF32: null,
    rooflineFraction: null,
    threadScaling: null,
    projectionF32VsTfjs: null,
    trainStepWasmVsCpu: null,
  };
  const roofline: BenchReport['roofline'] = { int8Gops: null, f32Gflops: null };

  // The int8/f32 kernel microbenchmarks (conv, GEMM, projections, roofline) come with the kernel
  // issue; until then their summary ratios stay null rather than estimated.
  notes.push('kernel microbenchmarks (int8 conv/GEMM, f32 projections, roofline, threads) are not implemented yet: those ratios are null');

  cases.push(...(await benchScenarios(opts)));

  const ts = await benchTrainStep(opts);
  cases.push(...ts.cases);
  summary.trainStepWasmVsCpu = ts.trainStepWasmVsCpu;

  const student = await benchStudentStep(opts);
  cases.push(...student.cases);
  const prior = await benchPriorCost(opts);
  cases.push(...prior.cases);
  const gauss = await benchGauss(opts);

  return {
    version: 1,
    date: new Date().toISOString(),
    machine: { node: process.versions.node, platform: `${process.platform}-${process.arch}`, cores: caps.hardwareConcurrency, build: caps.build },
    quick: opts.quick,
    threads: opts.threads,
    cases,
    roofline,
    summary,
    science: { studentStepWasmVsCpu: student.ratio, priorLearningVsCmkd: prior.ratio, gauss },
    notes,
  };
};
