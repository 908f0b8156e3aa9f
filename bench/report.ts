/**
 * The bench JSON contract of docs/contracts.md, and its table. Ratios are measured side by side in one
 * process run; a ratio this run did not measure is null, never estimated.
 */
import type { BenchCase } from './benchCase.js';
import type { CostCheck } from './costModel.js';
import type { RooflineVariant } from './int8Roofline.js';
import type { ModelVsOrtSummary } from './modelVsOrt.js';
import type { BenchValidity } from './validity.js';

/** The contract's fields, and the end-to-end ratios against onnxruntime (bench/modelVsOrt.ts). */
export interface BenchSummary extends ModelVsOrtSummary {
  /** On the pool's threads when a pool ran, else on one (the two fields below, separately). */
  conv2dInt8VsTfjsF32: number | null;
  /** tfjs-wasm f32 ms / kapri int8 ms on one thread (geometric mean over the conv shapes). */
  conv2dInt8VsTfjsF32OneThread: number | null;
  /** The same on the pool (`threads` threads; 2 on a 2-core machine); null when no pool ran. */
  conv2dInt8VsTfjsF32Pooled: number | null;
  rooflineFraction: number | null;
  /** One-thread ms / pool ms on the large shapes, back to back. */
  threadScaling: number | null;
  /** The same with an idle gap before every call (the `-idle60ms` rows). */
  threadScalingIdleGap: number | null;
  /** Whole-model inference (the hands student), one-thread ms / pool ms, back to back; null when no pool ran. */
  modelThreadScaling: number | null;
  /** The same with an idle gap before every inference. */
  modelThreadScalingIdleGap: number | null;
  /** onnxruntime-node's own one-thread ms / its pool's ms on the same model, back to back, timed in the same section; null when not run. */
  modelThreadScalingOrtNode: number | null;
  /** The same with the idle gap: the native peer's scaling in the pattern of modelThreadScalingIdleGap. */
  modelThreadScalingIdleGapOrtNode: number | null;
  projectionF32VsTfjs: number | null;
  trainStepWasmVsCpu: number | null;
  /**
   * Baseline int8 ms ÷ relaxed int8 ms on one thread in Chromium (`--browser`), geometric mean over
   * the conv and GEMM shapes; null where the relaxed path cannot run (Node 20: its probe fails).
   */
  relaxedVsBaseline: number | null;
  /** Whether the rows can be read as measurements: no row above its roofline, a machine not too loaded. */
  validity: BenchValidity;
}

export interface BenchReport {
  version: 1;
  date: string;
  machine: {
    node: string;
    platform: string;
    cores: number;
    build: string;
    /** Where the kernel rows ran when not in Node (`--browser`): e.g. `Chromium 156.0.7595.0`. */
    browser?: string;
  };
  quick: boolean;
  threads: number;
  cases: BenchCase[];
  roofline: {
    int8Gops: number | null;
    f32Gflops: number | null;
    /** Each int8 probe variant's rate; int8Gops is their maximum. */
    int8Variants: RooflineVariant[];
    /** The int8 roofline as probed before the kernel rows and after each shape. */
    int8Runs: number[];
    /** The relaxed path's roofline (assembly/rooflineI7.ts), where the engine trusts its dot (`--browser`); else null. */
    int8RelaxedGops: number | null;
    /** Each relaxed probe variant's best rate over the run (empty without a relaxed roofline). */
    int8RelaxedVariants: RooflineVariant[];
  };
  summary: BenchSummary;
  /** Measurements beyond the contract: the hands student's step ratio, prior cost, the γ table (null with --browser). */
  science: {
    studentStepWasmVsCpu: number;
    priorLearningVsCmkd: number;
    gauss: { gamma: number; teacher: number; studentNoKd: number; studentKd: number; gain: number }[];
    /** The kernel cost model's predicted vs measured ms on the int8 bench shapes. */
    costModel: CostCheck[];
  } | null;
  notes: string[];
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const num = (x: number | null, digits = 2): string => (x === null ? 'n/a' : x.toFixed(digits));

/** A plain-text table of the cases and the summary. */
export const formatBench = (r: BenchReport): string => {
  const rows = [
    ['op', 'shape', 'impl', 'ms (median)', 'GOPS'],
    ...r.cases.map((c) => [c.op, c.shape, c.impl, num(c.msMedian, 3), c.gops > 0 ? num(c.gops, 1) : '-']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => pad(cell, widths[i]!)).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('', `roofline: int8 ${num(r.roofline.int8Gops, 1)} GOPS, f32 ${num(r.roofline.f32Gflops, 1)} GFLOP/s`);
  const v = r.summary.validity;
  if (!v.valid) {
    lines.push('NOT VALID: the ratios below are not measurements of the kernels:');
    for (const f of v.measurementFaults) lines.push(`  measurement fault: ${f}`);
    for (const l of v.loaded) lines.push(`  machine too loaded: ${l}`);
  }
  for (const g of v.idleGap) lines.push(`idle-gap ratios: ${g}`);
  for (const [k, x] of Object.entries(r.summary)) {
    if (k === 'validity') continue;
    const mark =
      x === null
        ? ''
        : !v.valid
          ? '  (not valid)'
          : v.idleGap.length > 0 && k.includes('IdleGap')
            ? '  (host wake-up)'
            : '';
    lines.push(`${pad(k, 34)} ${num(x as number | null)}${mark}`);
  }
  if (r.machine.browser !== undefined) lines.push(`measured in ${r.machine.browser}`);
  if (r.science === null) {
    for (const n of r.notes) lines.push(`note: ${n}`);
    return lines.join('\n');
  }
  lines.push(
    `hands student step, wasm vs cpu: ${num(r.science.studentStepWasmVsCpu)}×; KaP prior learning vs CMKD per step: ${num(r.science.priorLearningVsCmkd)}×`,
  );
  lines.push(
    'gauss (source accuracy; KD gain over γ):',
    ...r.science.gauss.map(
      (g) =>
        `  γ ${g.gamma.toFixed(2)}: teacher ${g.teacher.toFixed(3)}, student ${g.studentNoKd.toFixed(3)}, distilled ${g.studentKd.toFixed(3)}, gain ${g.gain >= 0 ? '+' : ''}${g.gain.toFixed(3)}`,
    ),
  );
  lines.push(
    'kernel cost model (predicted vs measured ms, one thread):',
    ...r.science.costModel.map(
      (c) =>
        `  ${c.op} ${c.shape}: ${c.predictedMs.toFixed(3)} vs ${c.measuredMs.toFixed(3)} (${c.errorPct >= 0 ? '+' : ''}${c.errorPct.toFixed(1)}%)`,
    ),
  );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
};
