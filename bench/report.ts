/**
 * The bench JSON contract of docs/contracts.md, and its table. Ratios are measured side by side in one
 * process run; a ratio this run did not measure is null, never estimated.
 */
import type { BenchCase } from './benchCase.js';
import type { CostCheck } from './costModel.js';

export interface BenchSummary {
  conv2dInt8VsTfjsF32: number | null;
  rooflineFraction: number | null;
  threadScaling: number | null;
  projectionF32VsTfjs: number | null;
  trainStepWasmVsCpu: number | null;
}

export interface BenchReport {
  version: 1;
  date: string;
  machine: { node: string; platform: string; cores: number; build: string };
  quick: boolean;
  threads: number;
  cases: BenchCase[];
  roofline: { int8Gops: number | null; f32Gflops: number | null };
  summary: BenchSummary;
  /** Measurements beyond the contract: the hands student's step ratio, prior cost, the γ table. */
  science: {
    studentStepWasmVsCpu: number;
    priorLearningVsCmkd: number;
    gauss: { gamma: number; teacher: number; studentNoKd: number; studentKd: number; gain: number }[];
    /** The kernel cost model's predicted vs measured ms on the int8 bench shapes. */
    costModel: CostCheck[];
  };
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
  for (const [k, v] of Object.entries(r.summary)) lines.push(`${pad(k, 22)} ${num(v as number | null)}`);
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
