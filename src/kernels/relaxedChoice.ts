/**
 * Whether the relaxed int8 path pays on the machine at hand. Its instruction,
 * `i32x4.relaxed_dot_i8x16_i7x16_add_s`, does 16 multiply-adds against the baseline's 8 per dot, but
 * what that buys depends on how the engine lowers it for the CPU: measured in Chromium 156, the
 * relaxed conv and GEMM kernels ran at 2.04× the baseline on one machine and at 0.96× on a Zen 2
 * host (README, Benchmarks). Both paths give the same output bits, so the choice is one of speed
 * only: it is made once per module from the two roofline probes (assembly/roofline.ts,
 * assembly/rooflineI7.ts; the same tile, operands in L1), and `auto` plans take the relaxed path only
 * where its probe's multiply-add rate is at least {@link RELAXED_MIN_GAIN} times the baseline's.
 * The probes take about 10 ms, once, on the first `auto` plan of 7-bit weights of a trusted module.
 *
 * @example
 * const k = await loadKernels({ build: 'relaxed' });
 * relaxedChoice(k) // { pays: false, gain: 1.02, reason: 'the relaxed dot runs at 1.02× the baseline …' }
 */
import type { KernelModule } from './loader.js';
import { relaxedDotTrusted } from './qs8ConvRelaxed.js';

/** The probe gain (relaxed ÷ baseline multiply-adds per second) from which the relaxed path is used. */
export const RELAXED_MIN_GAIN = 1.2;

/** What was decided and why. */
export interface RelaxedChoice {
  /** Whether `auto` plans of 7-bit weights take the relaxed path on this module. */
  readonly pays: boolean;
  /** Relaxed ÷ baseline multiply-add rate of the probes (null when the relaxed dot is not trusted). */
  readonly gain: number | null;
  readonly reason: string;
}

const chosen = new WeakMap<KernelModule, RelaxedChoice>();

// Multiply-adds per probe call: about half a millisecond of either probe on a core of ~30 GMAC/s.
const PROBE_MACS = 16e6;
// Calls of each probe, alternated: an engine that compiles in tiers (V8's Liftoff, then TurboFan)
// runs the first calls on its baseline tier, and the fastest call is the optimised code's.
const PROBE_CALLS = 12;
// Variant 1 of both probes: 8 accumulators, the kernels' 4-pixel × 8-channel tile, 8 dots a step.
const TILE_VARIANT = 1;
const DOTS = 8;

/** Times one call of `f` into `times` (ms). */
const timeCall = (f: () => void, times: number[]): void => {
  const t0 = performance.now();
  f();
  times.push(performance.now() - t0);
};

/** Decides (once per module, see the file comment) whether the relaxed path pays. */
export const relaxedChoice = (k: KernelModule): RelaxedChoice => {
  const known = chosen.get(k);
  if (known) return known;
  let choice: RelaxedChoice;
  if (!relaxedDotTrusted(k)) {
    choice = {
      pays: false,
      gain: null,
      reason:
        k.build === 'relaxed'
          ? 'this engine computes the relaxed accumulate-dot wrongly (its known-answer probe failed)'
          : `the '${k.build}' build has no relaxed SIMD`,
    };
  } else {
    const baseIters = Math.round(PROBE_MACS / (DOTS * 8));
    const relaxedIters = Math.round(PROBE_MACS / (DOTS * 16));
    const base: number[] = [];
    const relaxed: number[] = [];
    for (let i = 0; i < PROBE_CALLS; i++) {
      timeCall(() => k.exports.qs8_roofline(baseIters, TILE_VARIANT), base);
      timeCall(() => k.exports.qs8_roofline_i7(relaxedIters, TILE_VARIANT), relaxed);
    }
    // the same multiply-adds on both sides: the gain is the ratio of the fastest times
    const gain = Math.min(...base) / Math.max(Math.min(...relaxed), 1e-6);
    const pays = gain >= RELAXED_MIN_GAIN;
    choice = {
      pays,
      gain,
      reason: `the relaxed dot runs at ${gain.toFixed(2)}× the baseline's multiply-add rate here (probes of the kernels' tile), ${pays ? 'at or above' : 'below'} the ${RELAXED_MIN_GAIN}× from which the relaxed path is used`,
    };
  }
  chosen.set(k, choice);
  return choice;
};
