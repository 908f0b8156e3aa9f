/**
 * The combined report of a sweep (sweep.json beside the cells' folders): per cell, what its own
 * report.json says about the question kapri asks — each target method's mean, each method against
 * fine-tuning paired over the cell's seeds, and the source's CMKD gain — and nothing measured in
 * wall-clock time, so the same grid gives the same file whether it ran here or on a queue's workers.
 */
import type { Comparison } from '../../core/pairedStats.js';
import type { Report } from '../report.js';
import type { SweepCell } from './sweepSpec.js';

export interface SweepCellSummary {
  readonly id: string;
  readonly overlay: string;
  readonly target: string;
  readonly seeds: readonly number[];
  /** The cell's own report, relative to the sweep's folder. */
  readonly report: string;
  readonly metric: string;
  readonly higherIsBetter: boolean;
  readonly methods: Record<string, { readonly mean: number; readonly std: number; readonly perSeed: number[] }>;
  /** Each method against fine-tuning, paired over the cell's seeds (Holm across each method's baselines). */
  readonly vsFinetune: Record<string, Pick<Comparison, 'nSeeds' | 'meanDiff' | 'ci95' | 'p' | 'pHolm'>>;
  readonly source: {
    readonly metric: string;
    readonly teacher: number;
    readonly studentNoKd: number;
    readonly studentKd: number;
    readonly cmkdGain: Pick<Comparison, 'nSeeds' | 'meanDiff' | 'ci95' | 'p'> | null;
  };
}

export interface SweepReport {
  readonly kind: 'sweep';
  /** The sweep file the grid came from. */
  readonly sweep: string;
  readonly preset: string;
  readonly overlays: readonly string[];
  readonly targets: readonly string[];
  readonly cells: readonly SweepCellSummary[];
}

const pick = <K extends keyof Comparison>(c: Comparison, keys: readonly K[]): Pick<Comparison, K> =>
  Object.fromEntries(keys.map((k) => [k, c[k]])) as Pick<Comparison, K>;

/** One cell's line of the combined report, from its report.json. */
export const summarizeCell = (cell: SweepCell, r: Report): SweepCellSummary => {
  const vs = r.target.comparisons.filter((c) => c.baseline === 'finetune');
  const gain = r.source.comparisons.find((c) => c.method === 'studentKd' && c.baseline === 'studentNoKd');
  return {
    id: cell.id,
    overlay: cell.overlay,
    target: cell.target,
    seeds: r.seeds,
    report: `cells/${cell.id}/report.html`,
    metric: r.target.metric,
    higherIsBetter: r.target.higherIsBetter,
    methods: Object.fromEntries(
      Object.entries(r.target.methods).map(([k, m]) => [k, { mean: m.mean, std: m.std, perSeed: m.perSeed }]),
    ),
    vsFinetune: Object.fromEntries(vs.map((c) => [c.method, pick(c, ['nSeeds', 'meanDiff', 'ci95', 'p', 'pHolm'])])),
    source: {
      metric: r.source.metric,
      teacher: r.source.teacher,
      studentNoKd: r.source.studentNoKd,
      studentKd: r.source.studentKd,
      cmkdGain: gain ? pick(gain, ['nSeeds', 'meanDiff', 'ci95', 'p']) : null,
    },
  };
};

/** The combined report of `cells` (in grid order) and their reports. */
export const combineSweep = (
  file: string,
  preset: string,
  cells: readonly SweepCell[],
  reports: readonly Report[],
): SweepReport => ({
  kind: 'sweep',
  sweep: file,
  preset,
  overlays: [...new Set(cells.map((c) => c.overlay))],
  targets: [...new Set(cells.map((c) => c.target))],
  cells: cells.map((c, i) => summarizeCell(c, reports[i]!)),
});
