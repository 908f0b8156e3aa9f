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
  let roofline: BenchReport['roofline'] = { int8Gops: null, f32Gflops: null };

  const kernels = await loadKernelSection();
  if (kernels) {
    const k = await kernels(opts);
    cases.push(...k.cases);
    roofline = k.roofline;
    Object.assign(summary, k.summary);
  } else {
    notes.push('kernel microbenchmarks are not built yet (bench/kernels.ts): their ratios are n/a');
  }

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

type KernelSection = (opts: BenchOptions) => Promise<{ cases: BenchCase[]; roofline: BenchReport['roofline']; summary: Partial<BenchSummary> }>;

/** The kernel section, when bench/kernels.ts exists in this build. */
const loadKernelSection = async (): Promise<KernelSection | null> => {
  try {
    const m = (await import(/* @vite-ignore */ './kernels.js' as string)) as { benchKernels: KernelSection };
    return m.benchKernels;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw e;
  }
};
