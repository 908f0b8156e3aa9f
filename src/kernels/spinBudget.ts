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
 * @example
 * const gaps: number[] = [];
 * recordGap(gaps, 0.4); // ms between the end of one call and the start of the next
 * spinBudgetUs(gaps, 500); // 600
 */
import { MODE_SAMPLES, medianOfFew } from './modeChoice.js';

/** The longest spin the gaps can ask for, in microseconds. */
export const MAX_SPIN_US = 3000;
/** The budget covers this many times the median gap. */
export const SPIN_COVER = 1.5;

/** Records a gap (ms) between two calls, keeping the last {@link MODE_SAMPLES}. */
export const recordGap = (gaps: number[], ms: number): void => {
  gaps.push(ms);
  if (gaps.length > MODE_SAMPLES) gaps.shift();
};

/** The spin budget (µs) for these recent gaps (ms): see the file comment; `floorUs` with none. */
export const spinBudgetUs = (gaps: readonly number[], floorUs: number): number => {
  if (gaps.length === 0) return floorUs;
  const cover = SPIN_COVER * medianOfFew(gaps) * 1000;
  return cover <= MAX_SPIN_US ? Math.max(floorUs, Math.round(cover)) : floorUs;
};

/** Whether the caller's recent calls come close enough together for a spinning worker to meet the next one. */
export const callsAreClose = (gaps: readonly number[]): boolean =>
  gaps.length > 0 && SPIN_COVER * medianOfFew(gaps) * 1000 <= MAX_SPIN_US;
