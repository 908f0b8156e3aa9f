/**
 * Whether a bench run's numbers can be read as measurements (`summary.validity`). Two things make
 * them unreadable: a kernel row above its roofline (its rate is impossible for the instruction mix,
 * so the timing is wrong: a measurement fault), and a machine too loaded to measure (big back-to-back
 * calls slower on several threads than on one, or a roofline that moved during the run). Decided
 * from the rows alone, so it is tested on synthetic rows, not timings.
 */
import type { BenchCase } from './benchCase.js';
import type { HostWake } from './hostWake.js';

/** The verdict on a run: `valid` when both lists are empty. */
export interface BenchValidity {
  readonly valid: boolean;
  /** Rows above their roofline (threads × the one-thread roofline). */
  readonly measurementFaults: string[];
  /** Signs that the machine was too loaded for the rows to compare. */
  readonly loaded: string[];
  /**
   * Why the idle-gap ratios (threadScalingIdleGap, modelThreadScalingIdleGap and their peers')
   * measure the host's wake-up of a second thread rather than a pool (bench/hostWake.ts); empty when
   * the host gave it promptly or was not probed. Does not make the run invalid: the back-to-back rows stand.
   */
  readonly idleGap: string[];
}

/** What the verdict reads. */
export interface ValidityInput {
  readonly cases: readonly BenchCase[];
  /** One-thread rooflines (null when not measured); the relaxed one bounds the `kapri-int8-relaxed-1t` rows. */
  readonly roofline: {
    readonly int8Gops: number | null;
    readonly f32Gflops: number | null;
    readonly int8RelaxedGops?: number | null;
  };
  /** Each probe of the int8 roofline in the run (before the kernel rows and after each shape). */
  readonly int8RooflineRuns?: readonly number[];
  /** The host's wake-up of a second thread, back to back and after the idle gap (null: not probed). */
  readonly hostWake?: HostWake | null;
}

/** Back-to-back calls of at least this many ops (10⁸ MACs) must not be slower on more threads. */
export const MIN_SCALING_OPS = 2e8;
/** The int8 roofline's measurements in one run may differ this much (as a fraction of the largest). */
export const MAX_ROOFLINE_DRIFT = 0.25;

// kapri kernel rows: kapri-int8-2t, kapri-int4-1t, kapri-f32-1t, kapri-int8-1t-idle60ms, kapri-int8-relaxed-1t, ...
const KAPRI_ROW = /^kapri-(int8|int4|f32|int8-relaxed)-(\d+)t(-idle\d+ms)?$/;

const fmt = (x: number): string => x.toFixed(1);

/** Judges a run (see the file comment). */
export const benchValidity = (input: ValidityInput): BenchValidity => {
  const measurementFaults: string[] = [];
  const loaded: string[] = [];
  const { int8Gops, f32Gflops } = input.roofline;
  const rows = input.cases.filter((c) => !c.op.endsWith('_roofline'));
  for (const c of rows) {
    const m = KAPRI_ROW.exec(c.impl);
    if (!m) continue;
    const threads = Number(m[2]);
    const [roof, unit] =
      m[1] === 'f32'
        ? [f32Gflops, 'f32 GFLOP/s']
        : m[1] === 'int8-relaxed'
          ? [input.roofline.int8RelaxedGops ?? null, 'relaxed int8 GOPS']
          : [int8Gops, 'int8 GOPS'];
    if (roof === null || !(roof > 0)) continue;
    if (c.gops > threads * roof) {
      measurementFaults.push(
        `${c.op} ${c.shape} ${c.impl}: ${fmt(c.gops)} is above its roofline (${threads} × ${fmt(roof)} ${unit}); the timing is wrong, not the kernel fast`,
      );
    }
  }
  // back to back only: after an idle gap a pool's wake-up may legitimately cost more than it saves
  const oneThread = new Map<string, BenchCase>();
  for (const c of rows) if (c.impl === 'kapri-int8-1t') oneThread.set(`${c.op} ${c.shape}`, c);
  for (const c of rows) {
    const m = /^kapri-int8-(\d+)t$/.exec(c.impl);
    if (!m || Number(m[1]) < 2) continue;
    const one = oneThread.get(`${c.op} ${c.shape}`);
    const ops = one ? one.gops * one.msMedian * 1e6 : 0;
    if (one && ops >= MIN_SCALING_OPS && c.msMedian > one.msMedian) {
      loaded.push(
        `${c.op} ${c.shape}: ${c.impl} took ${c.msMedian.toFixed(3)} ms, more than one thread's ${one.msMedian.toFixed(3)} ms back to back`,
      );
    }
  }
  const runs = input.int8RooflineRuns ?? [];
  if (runs.length > 1) {
    const hi = Math.max(...runs);
    const lo = Math.min(...runs);
    if (hi > 0 && (hi - lo) / hi > MAX_ROOFLINE_DRIFT) {
      loaded.push(
        `the int8 roofline read ${runs.map(fmt).join(', ')} GOPS during the run: it moved by more than ${MAX_ROOFLINE_DRIFT * 100}%`,
      );
    }
  }
  return {
    valid: measurementFaults.length === 0 && loaded.length === 0,
    measurementFaults,
    loaded,
    idleGap: idleGapVerdict(input.hostWake ?? null),
  };
};

/**
 * The idle-gap verdict: when, after the idle gap, a sleeping worker and the calling thread took
 * longer to run the probe's loop once each than one thread takes to run it twice, the host held
 * the second thread back, and no pool could gain from it on calls of that length.
 */
export const idleGapVerdict = (w: HostWake | null): string[] => {
  if (w === null || !(w.pairIdleMs > 2 * w.loopMs)) return [];
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  return [
    `after a ${w.idleGapMs} ms idle, waking a sleeping worker and running a ${ms(w.loopMs)} loop on it and on the calling thread took ${ms(w.pairIdleMs)} (back to back ${ms(w.pairMs)}), longer than one thread running the loop twice: the host gave the second thread late${w.packing ? ` (its kernel was booted with ${w.packing}, which packs a woken thread onto a busy vCPU)` : ''}, so the idle-gap thread ratios measure the host's wake-up, not the pool`,
  ];
};

/**
 * The verdict with faults found outside the rows added (a peer whose outputs differ from kapri's
 * is not timed, so no row shows it): any fault makes the run not valid.
 */
export const withFaults = (v: BenchValidity, faults: readonly string[]): BenchValidity =>
  faults.length === 0 ? v : { ...v, valid: false, measurementFaults: [...v.measurementFaults, ...faults] };
