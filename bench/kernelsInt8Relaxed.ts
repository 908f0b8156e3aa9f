/**
 * The relaxed int8 conv path against the baseline one, side by side on one thread (the browser
 * bench's kernel section): every conv and GEMM shape of bench/kernelsInt8.ts run with the same
 * 7-bit weights on the baseline kernel (simd build) and on the relaxed kernel (relaxed build, the
 * path forced where the engine's known-answer probe passes, whether or not `auto` plans would take it
 * on this CPU: the notes say what relaxedChoice decided). Before timing, the two outputs are compared
 * byte for byte on the bench input; a shape where they differ is reported as a fault and left out of
 * the ratio. The relaxed rows have a roofline of their own (assembly/rooflineI7.ts), probed like the
 * baseline's. Runs in a page (no tfjs, no Node APIs).
 */
import { createRng } from '../src/core/rng.js';
import type { Region } from '../src/kernels/arena.js';
import { loadKernels, type KernelModule } from '../src/kernels/loader.js';
import { serialRunner } from '../src/kernels/parallel.js';
import { disposeQs8Conv2d, planQs8Conv2d, runQs8Conv2dAt, type Qs8ConvSpec } from '../src/kernels/qs8Conv.js';
import { relaxedDotTrusted } from '../src/kernels/qs8ConvRelaxed.js';
import { relaxedChoice } from '../src/kernels/relaxedChoice.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import {
  combineRooflineProbes,
  type Int8Roofline,
  measureInt8RelaxedRoofline,
  measureInt8Roofline,
  type RooflineVariant,
} from './int8Roofline.js';
import { INT8_SHAPES } from './kernelsInt8.js';
import { geomean, gops, measureMs, measurePairMs } from './measure.js';

/** The impl name of the relaxed rows (kept apart from `kapri-int8-1t`, whose roofline is the baseline one). */
export const RELAXED_IMPL = 'kapri-int8-relaxed-1t';

type Shape = (typeof INT8_SHAPES)[number];

/** The shapes of the section (and of the browser bench's kernel rows): the conv and GEMM shapes, no depthwise. */
export const RELAXED_SHAPES: readonly Shape[] = INT8_SHAPES.filter((s) => s.kind !== 'depthwise');

/** A spec with 7-bit weights for a shape (the same for both paths). */
const int7Spec = (s: Shape): Qs8ConvSpec => {
  const rng = createRng(7);
  const [kh, kw] = s.geometry.kernel;
  const cin = s.geometry.inShape[3];
  return {
    ...s.geometry,
    cout: s.cout,
    weights: Int8Array.from({ length: kh * kw * cin * s.cout }, () => rng.int(128) - 64),
    bias: Int32Array.from({ length: s.cout }, () => rng.int(2001) - 1000),
    multipliers: new Float32Array(s.cout).fill(1 / (45 * Math.sqrt(kh * kw * cin))),
    xZeroPoint: 3,
    yZeroPoint: -2,
  };
};

/** A planned path of a shape on its module, with input and output regions holding the bench input. */
interface PathRun {
  readonly macs: number;
  run(): void;
  output(): Int8Array;
  dispose(): void;
}

const planPath = (k: KernelModule, spec: Qs8ConvSpec, path: 'baseline' | 'relaxed', x: Int8Array): PathRun => {
  const plan = planQs8Conv2d(k, spec, { path });
  const rx: Region = k.arena.alloc(plan.inBytes);
  const ry: Region = k.arena.alloc(plan.outBytes);
  k.arena.i8(rx, x.length).set(x);
  const runner = serialRunner(k);
  return {
    macs: plan.macs,
    run: () => runQs8Conv2dAt(k, plan, rx, ry, runner),
    output: () => k.arena.i8(ry, plan.outBytes).slice(),
    dispose: () => {
      k.arena.free(rx);
      k.arena.free(ry);
      disposeQs8Conv2d(k, plan);
    },
  };
};

const sameBytes = (a: Int8Array, b: Int8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** What the section measured. */
export interface RelaxedBenchResult {
  readonly cases: BenchCase[];
  /** The baseline int8 roofline: the best probe variant over the run, each variant's best, each probe's best. */
  readonly roofline: number;
  readonly rooflineVariants: readonly RooflineVariant[];
  readonly rooflineRuns: readonly number[];
  /** The relaxed path's roofline (best relaxed probe over the run), null where the relaxed dot is not trusted. */
  readonly relaxedRoofline: number | null;
  readonly relaxedRooflineVariants: readonly RooflineVariant[];
  /** Baseline GOPS of the 3×3 rows over the roofline (geometric mean). */
  readonly rooflineFraction: number | null;
  /** Baseline ms ÷ relaxed ms, geometric mean over the conv and GEMM shapes; null when the path could not run. */
  readonly relaxedVsBaseline: number | null;
  readonly notes: string[];
}

/** Runs the section (see the file comment). */
export const benchInt8Relaxed = async (opts: BenchOptions): Promise<RelaxedBenchResult> => {
  const reps = opts.quick ? 5 : 15;
  const simd = await loadKernels({ build: 'simd' });
  const notes: string[] = [];
  const relaxed = await loadKernels({ build: 'relaxed' }).catch((e: Error) => {
    notes.push(`the relaxed build cannot load here (${e.message}): no relaxed rows`);
    return null;
  });
  const trusted = relaxed !== null && relaxedDotTrusted(relaxed);
  if (relaxed && !trusted)
    notes.push(
      'this engine computes i32x4.relaxed_dot_i8x16_i7x16_add_s wrongly (its known-answer probe failed): no relaxed rows',
    );
  const shapes = RELAXED_SHAPES;
  const cases: BenchCase[] = [];
  const ratios: number[] = [];
  const threeByThree: number[] = [];
  // Engines compile WebAssembly in tiers (Chromium: Liftoff first, TurboFan in the background), so
  // code is slow until its optimised tier lands: a run's first probe read 61 GOPS against 91-94 for
  // every later one, and the first shape's baseline twice its Node time. One probe is run and dropped,
  // and each shape's two paths run for a while before they are timed.
  await measureInt8Roofline(simd, 4e6, 1);
  const probes = [await measureInt8Roofline(simd)];
  const relaxedRoof = relaxed && trusted ? relaxed : null;
  if (relaxedRoof) await measureInt8RelaxedRoofline(relaxedRoof, 2e6, 1);
  const relaxedProbes: Int8Roofline[] = relaxedRoof ? [await measureInt8RelaxedRoofline(relaxedRoof)] : [];
  for (const s of shapes) {
    opts.log(`relaxed vs baseline: ${s.op} ${s.label}`);
    const rng = createRng(11);
    const x = Int8Array.from({ length: s.geometry.inShape.reduce((a, b) => a * b, 1) }, () => rng.int(256) - 128);
    const spec = int7Spec(s);
    const row = (impl: string, ms: number, macs: number): BenchCase => ({
      op: s.op,
      shape: s.label,
      impl,
      msMedian: ms,
      gops: gops(2 * macs, ms),
    });
    const base = planPath(simd, spec, 'baseline', x);
    const rel = relaxed && trusted ? planPath(relaxed, spec, 'relaxed', x) : null;
    try {
      base.run();
      rel?.run();
      let ok = rel !== null;
      if (rel && !sameBytes(rel.output(), base.output())) {
        notes.push(
          `${s.op} ${s.label}: FAULT: relaxed output differs from the baseline's; left out of relaxedVsBaseline`,
        );
        ok = false;
      }
      if (rel && ok) {
        // timed in alternation, so that load on the machine weighs on both paths alike
        const [bms, rms] = await measurePairMs(base.run, rel.run, { reps, warmupMs: opts.quick ? 300 : 1000 });
        cases.push(row('kapri-int8-1t', bms, base.macs), row(RELAXED_IMPL, rms, rel.macs));
        ratios.push(bms / rms);
        if (s.threeByThree) threeByThree.push(gops(2 * base.macs, bms));
      } else {
        const bms = await measureMs(base.run, { reps, warmupMs: opts.quick ? 300 : 1000 });
        cases.push(row('kapri-int8-1t', bms, base.macs));
        if (s.threeByThree) threeByThree.push(gops(2 * base.macs, bms));
      }
    } finally {
      base.dispose();
      rel?.dispose();
    }
    probes.push(await measureInt8Roofline(simd));
    if (relaxedRoof) relaxedProbes.push(await measureInt8RelaxedRoofline(relaxedRoof));
  }
  const { roofline, rooflineVariants, rooflineRuns, rows: rooflineRows } = combineRooflineProbes(probes);
  const relaxedCombined =
    relaxedProbes.length > 0 ? combineRooflineProbes(relaxedProbes, 'relaxed_dot_i8x16_i7x16_add_s') : null;
  cases.unshift(...rooflineRows, ...(relaxedCombined?.rows ?? []));
  if (relaxed) notes.push(`relaxedChoice on this machine: ${relaxedChoice(relaxed).reason}`);
  notes.push(
    `relaxedVsBaseline: baseline ms / relaxed ms on one thread, the same 7-bit weights and input on both paths (outputs compared byte for byte first; the two timed in alternation), geometric mean over ${ratios.length} conv and GEMM shapes: ${shapes.map((s) => `${s.op} ${s.label}`).join('; ')}`,
    relaxedCombined
      ? `the ${RELAXED_IMPL} rows are checked against the relaxed roofline (${relaxedCombined.roofline.toFixed(1)} GOPS: the best of ${relaxedCombined.rooflineVariants.length} variants of its probe, probed before the rows and after each shape; its qs8_roofline rows are named relaxed_dot_i8x16_i7x16_add_s)`
      : 'no relaxed roofline: the relaxed accumulate-dot is not trusted here',
  );
  return {
    cases,
    roofline,
    rooflineVariants,
    rooflineRuns,
    relaxedRoofline: relaxedCombined?.roofline ?? null,
    relaxedRooflineVariants: relaxedCombined?.rooflineVariants ?? [],
    rooflineFraction: threeByThree.length > 0 ? geomean(threeByThree.map((g) => g / roofline)) : null,
    relaxedVsBaseline: ratios.length > 0 ? geomean(ratios) : null,
    notes,
  };
};
