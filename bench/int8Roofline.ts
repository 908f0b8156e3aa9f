/**
 * The int8 roofline of baseline WASM SIMD: every variant of the probe (assembly/roofline.ts:
 * accumulator counts 4, 8 and 12, two interleavings, unrolled, operands from loads or stepped in registers)
 * timed on one thread; the roofline is the best of them, the rate the dot + add mix can reach.
 */
import type { KernelModule } from '../src/kernels/loader.js';
import type { BenchCase } from './benchCase.js';
import { gops, measureMs } from './measure.js';

/** The probe's variants, by the index `qs8_roofline` takes: what each runs and its dots per iteration. */
export const INT8_ROOFLINE_VARIANTS: readonly { readonly label: string; readonly dots: number }[] = [
  { label: '4 accumulators (2x2 tile), loads', dots: 4 },
  { label: '8 accumulators (4x2 tile), loads', dots: 8 },
  { label: '12 accumulators (6x2 tile), loads', dots: 12 },
  { label: '8 accumulators, loads/dots/adds grouped', dots: 8 },
  { label: '8 accumulators, operands stepped in registers', dots: 8 },
  { label: '8 accumulators (4x2 tile) unrolled twice, loads', dots: 16 },
];

/** One variant's measured rate. */
export interface RooflineVariant {
  readonly label: string;
  readonly gops: number;
}

/** GOPS of every variant and their maximum (the roofline). */
export interface Int8Roofline {
  readonly gops: number;
  readonly variants: readonly RooflineVariant[];
}

/** Times each variant (its fastest of `reps` calls, as befits a ceiling) on the same number of dots. */
export const measureInt8Roofline = async (k: KernelModule, iters = 4e6, reps = 5): Promise<Int8Roofline> => {
  const variants: RooflineVariant[] = [];
  for (const [i, v] of INT8_ROOFLINE_VARIANTS.entries()) {
    // the same number of dots per call whatever the variant's tile
    const n = Math.round((iters * 8) / v.dots);
    const ms = await measureMs(() => k.exports.qs8_roofline(n, i), { warmup: 1, reps, statistic: 'min' });
    variants.push({ label: v.label, gops: gops(n * v.dots * 8 * 2, ms) });
  }
  return { gops: Math.max(...variants.map((v) => v.gops)), variants };
};

/**
 * The roofline of a run probed several times (before the rows and after each shape): each
 * variant's best over the probes, each probe's best, their maximum (the ceiling), and the
 * `qs8_roofline` rows of the variants.
 */
export const combineRooflineProbes = (
  probes: readonly Int8Roofline[],
): { roofline: number; rooflineVariants: RooflineVariant[]; rooflineRuns: number[]; rows: BenchCase[] } => {
  const rooflineVariants = probes[0]!.variants.map((v, i) => ({
    label: v.label,
    gops: Math.max(...probes.map((p) => p.variants[i]!.gops)),
  }));
  const rooflineRuns = probes.map((p) => p.gops);
  const rows = rooflineVariants.map((v) => ({
    op: 'qs8_roofline',
    shape: `dot_i16x8_s + add, ${v.label}`,
    impl: 'kapri-1t',
    msMedian: 0,
    gops: v.gops,
  }));
  return { roofline: Math.max(...rooflineRuns), rooflineVariants, rooflineRuns, rows };
};
