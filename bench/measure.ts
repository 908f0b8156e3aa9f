/**
 * Timing: warm up, then time `reps` runs and take the median. Async bodies are awaited, so a
 * body that reads results back (dataSync) measures the whole round trip.
 */
import { median } from '../src/core/median.js';

export interface MeasureOptions {
  readonly warmup?: number;
  /**
   * Keep warming up (after `warmup` runs) until this many milliseconds have passed (default 0): a
   * large wasm module runs its baseline code until the engine's optimizing tier has compiled it.
   */
  readonly warmupMs?: number;
  readonly reps?: number;
  /** Stop repeating after this many milliseconds (at least 3 timed runs are always made; gaps not counted). */
  readonly maxMs?: number;
  /**
   * Sleep this many milliseconds before each timed run (default 0: back to back), the way an app
   * serving requests or frames calls: threads parked, caches and predictors cold.
   */
  readonly idleGapMs?: number;
  /**
   * What to report over the timed runs (default 'median'). 'min' is the fastest run: what a ceiling
   * (a roofline) wants, since load on a shared machine only ever slows a run down.
   */
  readonly statistic?: 'median' | 'min';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const now = (): number => performance.now();

/** The median (src/core/median.ts), for the bench modules that take it from here. */
export { median };

/** Geometric mean of positive numbers. */
export const geomean = (xs: readonly number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** Median (or fastest, see `statistic`) milliseconds of `fn` over timed repetitions. */
export const measureMs = async (fn: () => unknown, options: MeasureOptions = {}): Promise<number> => {
  const warmup = options.warmup ?? 2;
  const reps = options.reps ?? 10;
  const maxMs = options.maxMs ?? 3000;
  const gap = options.idleGapMs ?? 0;
  for (let i = 0; i < warmup; i++) await fn();
  const warmStart = now();
  while (now() - warmStart < (options.warmupMs ?? 0)) await fn();
  const times: number[] = [];
  let spent = 0;
  for (let i = 0; i < reps; i++) {
    if (gap > 0) await sleep(gap);
    const t0 = now();
    await fn();
    const t = now() - t0;
    times.push(t);
    spent += t;
    if (times.length >= 3 && spent > maxMs) break;
  }
  return options.statistic === 'min' ? Math.min(...times) : median(times);
};

/** GOPS from an op count (2 per MAC) and milliseconds. */
export const gops = (ops: number, ms: number): number => (ms > 0 ? ops / ms / 1e6 : 0);

/**
 * Median milliseconds of two bodies timed in alternation (a, b, b, a, a, b, …), so that a load
 * that comes and goes on a shared machine weighs on both alike: what a side-by-side ratio wants.
 * With `idleGapMs` each timed run follows a sleep of its own, so both bodies meet the same cold core.
 *
 * @example
 * const [oneMs, poolMs] = await measurePairMs(() => one.run(x), () => pooled.run(x), { reps: 31, idleGapMs: 60 });
 */
export const measurePairMs = async (
  a: () => unknown,
  b: () => unknown,
  options: Pick<MeasureOptions, 'warmup' | 'reps' | 'maxMs' | 'warmupMs' | 'idleGapMs'> = {},
): Promise<[number, number]> => {
  const warmup = options.warmup ?? 2;
  const reps = options.reps ?? 10;
  const maxMs = options.maxMs ?? 6000;
  const gap = options.idleGapMs ?? 0;
  // the warm-up runs in the pattern timed (after the same idle gap): a runner that learns how to
  // run a kind of call (the pool's modes) learns the pattern it is measured in
  const warmStart = now();
  for (let i = 0; i < warmup || now() - warmStart < (options.warmupMs ?? 0); i++) {
    if (gap > 0) await sleep(gap);
    await a();
    if (gap > 0) await sleep(gap);
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  let spent = 0;
  const time = async (fn: () => unknown, into: number[]) => {
    if (gap > 0) await sleep(gap);
    const t0 = now();
    await fn();
    const t = now() - t0;
    into.push(t);
    spent += t;
  };
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      await time(a, ta);
      await time(b, tb);
    } else {
      await time(b, tb);
      await time(a, ta);
    }
    if (ta.length >= 3 && spent > maxMs) break;
  }
  return [median(ta), median(tb)];
};
