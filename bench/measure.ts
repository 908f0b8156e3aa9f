/**
 * Timing: warm up, then time `reps` runs and take the median. Async bodies are awaited, so a
 * body that reads results back (dataSync) measures the whole round trip.
 */
export interface MeasureOptions {
  readonly warmup?: number;
  readonly reps?: number;
  /** Stop repeating after this many milliseconds (at least 3 timed runs are always made). */
  readonly maxMs?: number;
}

const now = (): number => performance.now();

/** Median of a non-empty list. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Geometric mean of positive numbers. */
export const geomean = (xs: readonly number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** Median milliseconds of `fn` over timed repetitions. */
export const measureMs = async (fn: () => unknown, options: MeasureOptions = {}): Promise<number> => {
  const warmup = options.warmup ?? 2;
  const reps = options.reps ?? 10;
  const maxMs = options.maxMs ?? 3000;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = now();
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    await fn();
    times.push(now() - t0);
    if (times.length >= 3 && now() - start > maxMs) break;
  }
  return median(times);
};

/** GOPS from an op count (2 per MAC) and milliseconds. */
export const gops = (ops: number, ms: number): number => (ms > 0 ? ops / ms / 1e6 : 0);
