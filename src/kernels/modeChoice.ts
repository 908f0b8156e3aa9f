/**
 * Split or serial, by what each mode measured: the rule the thread pool uses for an executor's
 * bursts (inferences), a pure function of the times so that it can be tested apart. Each mode keeps its last
 * {@link MODE_SAMPLES} times; the first runs of a kind alternate until each mode has
 * {@link MODE_FIRST}, then the faster by median runs (split only when clearly faster), and one run in
 * {@link MODE_EXPLORE} takes the other mode, so the choice follows the host.
 *
 * @example
 * const t = modeTimes();
 * const mode = nextMode(t); // 'split' first
 * recordMode(t, mode, 1.7);
 */
import { median } from '../core/median.js';

/** One kind's recent times (any unit, the same for both modes) and how many runs it has had. */
export interface ModeTimes {
  readonly split: number[];
  readonly serial: number[];
  n: number;
}

/** Runs of each mode a kind takes first, alternating, before the faster is chosen. */
export const MODE_FIRST = 2;
/** Each mode's time is the median of its last this many runs: one preempted run must not flip the choice. */
export const MODE_SAMPLES = 7;
/** One run in this many takes the mode that measured slower, to re-measure it. */
export const MODE_EXPLORE = 16;
/**
 * Split only while split runs measure at most this fraction of serial ones: a switch of mode costs
 * the next run too (its first reads pull the lines the other core wrote), so near a tie the pool
 * stays serial rather than flip (hands student, stop 31: split and serial bursts 228 and 224 us,
 * flipping on most bursts, against 207 on one thread).
 */
export const SPLIT_MARGIN = 0.95;

/** A kind with no runs yet. */
export const modeTimes = (): ModeTimes => ({ split: [], serial: [], n: 0 });

/** The mode of a kind's next run (and counts the run). */
export const nextMode = (t: ModeTimes): 'split' | 'serial' => {
  t.n++;
  if (t.split.length < MODE_FIRST || t.serial.length < MODE_FIRST)
    return t.split.length <= t.serial.length ? 'split' : 'serial';
  const best = median(t.split) <= SPLIT_MARGIN * median(t.serial) ? 'split' : 'serial';
  if (t.n % MODE_EXPLORE !== 0) return best;
  return best === 'split' ? 'serial' : 'split';
};

/** Records a run's time under the mode it ran in, keeping the last {@link MODE_SAMPLES}. */
export const recordMode = (t: ModeTimes, mode: 'split' | 'serial', time: number): void => {
  const xs = t[mode];
  xs.push(time);
  if (xs.length > MODE_SAMPLES) xs.shift();
};
