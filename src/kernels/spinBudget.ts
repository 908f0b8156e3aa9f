/**
 * How long a pool's workers spin after their last job before they sleep, from the gaps the caller
 * leaves between its calls. A worker woken from sleep can come back late and on the caller's own
 * core: on the 2-vCPU VM of stop 34 the guest kernel (booted with `sched_vcpu_pack`) put a woken
 * worker on the caller's busy vCPU, where it took no chunk of a 0.4 ms conv or took the caller's
 * time slice instead (a split call of 1.0-1.4 ms against 0.4 serially). A caller that calls again
 * within a millisecond or two should find its workers still spinning: the budget covers the recent
 * gaps (1.5 × their median) up to {@link MAX_SPIN_US}, and is the floor (the pool's default) when
 * calls come back to back or the gaps are longer than that, so an idle app does not burn a core.
 *
 * Recording a gap is cheap (a ring slot and a count) and the budget is computed only when workers are
 * about to run: after a 60 ms idle every line a call runs is cold, and sorting the gaps on each
 * serial call took 5-8 µs of a 0.25 ms depthwise call on the VM of stop 35.
 *
 * @example
 * const gaps = gapLog();
 * recordGap(gaps, 0.4); // ms between the end of one call and the start of the next
 * spinBudgetUs(gaps, 500); // 600
 */
import { MODE_SAMPLES, medianOfFew } from './modeChoice.js';

/** The longest spin the gaps can ask for, in microseconds. */
export const MAX_SPIN_US = 3000;
/** The budget covers this many times the median gap. */
export const SPIN_COVER = 1.5;

/** Gaps (ms) up to this long can be covered by a spin: {@link MAX_SPIN_US} over {@link SPIN_COVER}. */
const CLOSE_MS = MAX_SPIN_US / SPIN_COVER / 1000;

/** The last {@link MODE_SAMPLES} gaps (ms) between the caller's calls, in a ring, and how many of them are close. */
export interface GapLog {
  /** The gaps, in no particular order. */
  readonly ms: number[];
  /** The slot the next gap overwrites once the ring is full. */
  next: number;
  /** Gaps in {@link GapLog.ms} of at most {@link CLOSE_MS}. */
  close: number;
}

/** A log with no gaps yet. */
export const gapLog = (): GapLog => ({ ms: [], next: 0, close: 0 });

/** Records a gap (ms) between two calls, keeping the last {@link MODE_SAMPLES}. */
export const recordGap = (log: GapLog, ms: number): void => {
  if (log.ms.length < MODE_SAMPLES) log.ms.push(ms);
  else {
    if (log.ms[log.next]! <= CLOSE_MS) log.close--;
    log.ms[log.next] = ms;
  }
  if (ms <= CLOSE_MS) log.close++;
  log.next = log.next === MODE_SAMPLES - 1 ? 0 : log.next + 1;
};

/** The spin budget (µs) for these recent gaps: see the file comment; `floorUs` with none. */
export const spinBudgetUs = (log: GapLog, floorUs: number): number => {
  if (log.ms.length === 0) return floorUs;
  const cover = SPIN_COVER * medianOfFew(log.ms) * 1000;
  return cover <= MAX_SPIN_US ? Math.max(floorUs, Math.round(cover)) : floorUs;
};

/**
 * Whether the caller's recent calls come close enough together for a spinning worker to meet the
 * next one: most of the recent gaps are short enough to cover (with an odd count, as with a full
 * log, exactly when {@link spinBudgetUs} covers their median).
 */
export const callsAreClose = (log: GapLog): boolean => 2 * log.close > log.ms.length;

/**
 * Whether wake-ups of the pool's workers come back in time: a call that woke them (see
 * {@link callsAreClose}) counts as in time when the next call found them awake. On the VM of stop 34
 * a woken worker was often put on the caller's busy vCPU, where it could not run before the next call
 * and took the caller's time when it did (a 1×1 conv's calls, each waking them, ran 6% slower than
 * one thread in one script run; with wakes stopped, 2-4% in three); when two of the last three wakes came late the pool stops waking them, and
 * tries one wake again after {@link WAKE_RETRY} calls.
 */
export interface WakeRecord {
  /** The last few wakes: true when the next call found the workers awake. */
  readonly results: boolean[];
  /** Whether the last call woke the workers (its result is not known yet). */
  pending: boolean;
  /** Calls since waking was last stopped or tried. */
  since: number;
}

/** Wakes a record keeps. */
export const WAKE_RESULTS = 3;
/** Calls between tries of a wake while wakes come late. */
export const WAKE_RETRY = 64;

/** A record with no wakes yet: waking is allowed. */
export const wakeRecord = (): WakeRecord => ({ results: [], pending: false, since: 0 });

/** Notes whether the workers were awake at a call, which settles the pending wake (if any). */
export const noteAwake = (w: WakeRecord, awake: boolean): void => {
  if (!w.pending) return;
  w.pending = false;
  w.results.push(awake);
  if (w.results.length > WAKE_RESULTS) w.results.shift();
};

/** Whether to wake the workers now (and notes that this call does): not while two of the last three wakes came late. */
export const shouldWake = (w: WakeRecord): boolean => {
  const late = w.results.filter((r) => !r).length;
  if (late >= 2 && ++w.since < WAKE_RETRY) return false;
  w.since = 0;
  w.pending = true;
  return true;
};
