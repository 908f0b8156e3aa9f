/**
 * Which calls of a split burst split: an executor's inference makes the same kernel calls in the
 * same order every time, so the pool keeps, for each call site (the n-th call of a kind of burst),
 * that call's own serial time, and splits the sites that take at least a few hand-offs. A rate per
 * kernel name, which the pool uses outside bursts, does not fit every call of a model: the hands
 * student's stem conv ran at 12.5 GMAC/s and its residual convs at 22 (stop 33). Whether splitting
 * pays at all is measured for the whole burst (modeChoice.ts): per-site trials of split against
 * serial inside a burst timed each site's transition, not the mode (stop 33: a conv's split calls
 * took 26 us in trials that found the worker asleep, 14 us with it awake, against 25 serially),
 * so a site does not weigh one mode against the other; it only keeps its serial time
 * current. A site that sees another call (a different kernel or size, e.g. another batch) starts over.
 *
 * @example
 * const s = siteTimes('qs8_conv2d', 256, 589_824);
 * nextSiteMode(s, 0.008); // 'serial': its first calls are timed on one thread
 * recordSerial(s, 0.025);
 */
import { MODE_SAMPLES, medianOfFew } from './modeChoice.js';

/** One call site's recent serial times (ms) and the call it stands for. */
export interface SiteTimes {
  readonly kernel: string;
  readonly total: number;
  readonly work: number;
  readonly serial: number[];
  /** Calls so far. */
  calls: number;
  /** Which of each {@link SITE_REFRESH} calls runs serially once the site splits (see there). */
  readonly phase: number;
}

/**
 * A site with no runs yet, for a call of `kernel` over `total` items of `work` units; `index` is
 * its place in the burst (sites refresh their serial time in different bursts, see {@link SITE_REFRESH}).
 */
export const siteTimes = (kernel: string, total: number, work: number, index = 0): SiteTimes => ({
  kernel,
  total,
  work,
  serial: [],
  calls: 0,
  phase: index % SITE_REFRESH,
});

/** Whether `s` stands for this call (same kernel, range and work). */
export const isSite = (s: SiteTimes, kernel: string, total: number, work: number): boolean =>
  s.kernel === kernel && s.total === total && s.work === work;

/** Serial calls a site makes before it may split: its time is their median, which one cold call cannot set. */
export const SITE_SAMPLES = 3;
/**
 * A site that splits runs serially one call in this many, to keep its serial time current: a site
 * timed only by its first calls kept the times of a pool's first, cold bursts (the hands student's
 * first pad: 18 us against 5 warm), above the split threshold for good (stop 33). Each site does so
 * in its own burst of the sixteen (its phase): refreshed all in the same burst, one split burst in
 * sixteen ran wholly serially (hands student, stop 34: 190 us against 143), and a re-try of
 * splitting (modeChoice.ts: three recorded bursts) that met it could measure serial's time and lose.
 * Seven alternating runs of the model bench with and without the phases differed by less than the
 * host's drift between runs (0.99-1.40 either way).
 */
export const SITE_REFRESH = 16;

/**
 * How a site's next call runs in a split burst (and counts it): serially for its first
 * {@link SITE_SAMPLES} calls, and while the median of its recent serial calls is under `minSplitMs`
 * (a hand-off would cost it more than a second core gains); split otherwise, but for one call in
 * {@link SITE_REFRESH}. The median, not the fastest: a browser's clock moves in steps of 5 us or
 * more, and the fastest of seven reads of a 12 us call can be 5. Nor one call: a site's first call in
 * a pool's bursts once took 2.7 ms (25 us after). `serialMs` is the site's serial time, when the
 * caller has it already.
 */
export const nextSiteMode = (
  s: SiteTimes,
  minSplitMs: number,
  serialMs: number = siteSerialMs(s),
): 'split' | 'serial' => {
  s.calls++;
  if (s.serial.length < SITE_SAMPLES || serialMs < minSplitMs) return 'serial';
  return (s.calls + s.phase) % SITE_REFRESH === 0 ? 'serial' : 'split';
};

/** A site's serial time: the median of its recent serial calls (0 before the first). */
export const siteSerialMs = (s: SiteTimes): number => (s.serial.length === 0 ? 0 : medianOfFew(s.serial));

/** Records a serial call's time, keeping the last {@link MODE_SAMPLES}. */
export const recordSerial = (s: SiteTimes, ms: number): void => {
  s.serial.push(ms);
  if (s.serial.length > MODE_SAMPLES) s.serial.shift();
};

/**
 * Whether a site's serial call is timed: while it learns, on its refresh call, and while its time
 * is at least half the split threshold (near it, its time decides). A site far under the threshold
 * (a pad, an add: 1-5 us against 8) runs untimed: two clock reads per timed call, and the hands
 * student's split bursts timed some 13 such calls (forced split inferences ran 1.5-6 us faster
 * untimed, stop 34; a read costs ~70 ns in a tight loop here, stop 35, more as a call's first touch).
 */
export const siteTimed = (s: SiteTimes, minSplitMs: number, serialMs: number): boolean =>
  s.serial.length < SITE_SAMPLES || (s.calls + s.phase) % SITE_REFRESH === 0 || 2 * serialMs >= minSplitMs;
