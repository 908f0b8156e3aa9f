/**
 * The int8 roofline of baseline WASM SIMD: every variant of the probe (assembly/roofline.ts:
 * accumulator counts 4, 8 and 12, two interleavings, unrolled, operands from loads or stepped in registers)
 * timed on one thread; the roofline is the best of them, the rate the dot + add mix can reach. The
 * relaxed path has a probe of its own (assembly/rooflineI7.ts), its ceiling where the engine trusts it.
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

/** Times each variant of a probe (its fastest of `reps` calls, as befits a ceiling) on the same number of MACs. */
const measureProbe = async (
  variants: readonly { readonly label: string; readonly dots: number }[],
  macsPerDot: number,
  call: (n: number, variant: number) => number,
  iters: number,
  reps: number,
): Promise<Int8Roofline> => {
  const measured: RooflineVariant[] = [];
  for (const [i, v] of variants.entries()) {
    // the same number of multiply-adds per call whatever the variant's tile
    const n = Math.round((iters * 8) / v.dots);
    const ms = await measureMs(() => call(n, i), { warmup: 1, reps, statistic: 'min' });
    measured.push({ label: v.label, gops: gops(n * v.dots * macsPerDot * 2, ms) });
  }
  return { gops: Math.max(...measured.map((v) => v.gops)), variants: measured };
};

/** Times each variant of the baseline probe (see the file comment). */
export const measureInt8Roofline = (k: KernelModule, iters = 4e6, reps = 5): Promise<Int8Roofline> =>
  measureProbe(INT8_ROOFLINE_VARIANTS, 8, (n, i) => k.exports.qs8_roofline(n, i), iters, reps);

/**
 * The relaxed probe's variants (assembly/rooflineI7.ts, by the index `qs8_roofline_i7` takes): one
 * `i32x4.relaxed_dot_i8x16_i7x16_add_s` (16 multiply-adds) per dot, in the relaxed kernel's tile.
 */
export const INT8_RELAXED_ROOFLINE_VARIANTS: readonly { readonly label: string; readonly dots: number }[] = [
  { label: '4 accumulators (2x2 tile), loads', dots: 4 },
  { label: '8 accumulators (4x2 tile), loads', dots: 8 },
  { label: '12 accumulators (6x2 tile), loads', dots: 12 },
];

/**
 * The roofline of the relaxed path: each variant of the relaxed probe timed on a module of the
 * relaxed build whose accumulate-dot is trusted (half the baseline's iterations: twice the MACs a dot).
 */
export const measureInt8RelaxedRoofline = (k: KernelModule, iters = 2e6, reps = 5): Promise<Int8Roofline> =>
  measureProbe(INT8_RELAXED_ROOFLINE_VARIANTS, 16, (n, i) => k.exports.qs8_roofline_i7(n, i), iters, reps);

/**
 * The roofline of a run probed several times (before the rows and after each shape): each
 * variant's best over the probes, each probe's best, their maximum (the ceiling), and the
 * `qs8_roofline` rows of the variants.
 */
export const combineRooflineProbes = (
  probes: readonly Int8Roofline[],
  mix = 'dot_i16x8_s + add',
): { roofline: number; rooflineVariants: RooflineVariant[]; rooflineRuns: number[]; rows: BenchCase[] } => {
  const rooflineVariants = probes[0]!.variants.map((v, i) => ({
    label: v.label,
    gops: Math.max(...probes.map((p) => p.variants[i]!.gops)),
  }));
  const rooflineRuns = probes.map((p) => p.gops);
  const rows = rooflineVariants.map((v) => ({
    op: 'qs8_roofline',
    shape: `${mix}, ${v.label}`,
    impl: 'kapri-1t',
    msMedian: 0,
    gops: v.gops,
  }));
  return { roofline: Math.max(...rooflineRuns), rooflineVariants, rooflineRuns, rows };
};
