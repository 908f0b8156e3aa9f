/** How long workers spin: long enough to cover the caller's short gaps between calls, never long for an idle app. */
import { describe, expect, it } from 'vitest';
import {
  callsAreClose,
  gapLog,
  MAX_SPIN_US,
  noteAwake,
  recordGap,
  shouldWake,
  spinBudgetUs,
  WAKE_RETRY,
  wakeRecord,
} from '../../src/kernels/spinBudget.js';

/** A log of these gaps (ms), recorded in order. */
const logOf = (...ms: number[]) => {
  const log = gapLog();
  for (const g of ms) recordGap(log, g);
  return log;
};

describe('spin budget', () => {
  it('is the floor until a gap is known, and for calls back to back', () => {
    expect(spinBudgetUs(logOf(), 500)).toBe(500);
    expect(spinBudgetUs(logOf(0.01, 0.02, 0.01), 500)).toBe(500);
  });

  it('covers one and a half times the median gap when that is a few milliseconds at most', () => {
    expect(spinBudgetUs(logOf(0.4, 0.5, 0.4), 500)).toBe(600);
    expect(spinBudgetUs(logOf(1.9, 2, 2.1), 500)).toBe(3000);
    expect(spinBudgetUs(logOf(1.2, 40, 1.2), 500)).toBe(1800);
  });

  it('falls back to the floor when the gaps are longer than it may spin (an idle app does not burn a core)', () => {
    expect(spinBudgetUs(logOf(60, 61, 59), 500)).toBe(500);
    expect(spinBudgetUs(logOf(2.1, 2.1, 2.1), 500)).toBe(500);
    expect(1.5 * 2.1 * 1000).toBeGreaterThan(MAX_SPIN_US);
  });

  it('keeps the last seven gaps', () => {
    const log = logOf(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    expect([...log.ms].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    // the median of the seven kept, 0.6 ms, sets the budget
    expect(spinBudgetUs(logOf(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), 0)).toBe(900);
  });

  it('counts the close gaps of the last seven as they come and go', () => {
    // seven close gaps, then seven long ones push them all out, then three close ones again
    const log = logOf(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
    expect(callsAreClose(log)).toBe(true);
    for (let i = 0; i < 7; i++) recordGap(log, 60);
    expect(log.close).toBe(0);
    expect(callsAreClose(log)).toBe(false);
    for (let i = 0; i < 3; i++) recordGap(log, 0.2);
    expect(log.close).toBe(3);
    expect(callsAreClose(log)).toBe(false);
    recordGap(log, 0.2);
    expect(callsAreClose(log)).toBe(true);
  });

  it('calls calls close exactly when the budget covers the median of an odd count of gaps', () => {
    const cases = [
      [0.5],
      [2.1],
      [1.9, 2.1, 2.0],
      [2.1, 2.1, 1.0, 60, 0.2],
      [1, 1, 1, 9, 9, 9, 9],
      [2, 2, 2, 2.01, 3, 0, 9],
    ];
    for (const gaps of cases) {
      const log = logOf(...gaps);
      // a floor of -1 is what the budget falls back to when the median is too long to cover
      expect(callsAreClose(log)).toBe(spinBudgetUs(log, -1) >= 0);
    }
  });

  it('calls calls close when a spinning worker could meet the next one', () => {
    expect(callsAreClose(logOf())).toBe(false);
    expect(callsAreClose(logOf(0.01, 0.3, 0.2))).toBe(true);
    expect(callsAreClose(logOf(2, 2, 2))).toBe(true);
    expect(callsAreClose(logOf(60, 60, 0.1))).toBe(false);
  });

  it('keeps waking sleeping workers while the wakes come back in time', () => {
    const w = wakeRecord();
    for (let i = 0; i < 10; i++) {
      expect(shouldWake(w)).toBe(true);
      noteAwake(w, true);
    }
  });

  it('stops waking them while most recent wakes came late, and tries one again after a while', () => {
    const w = wakeRecord();
    for (let i = 0; i < 2; i++) {
      expect(shouldWake(w)).toBe(true);
      noteAwake(w, false);
    }
    const tries = Array.from({ length: 2 * WAKE_RETRY }, () => shouldWake(w));
    expect(tries.filter(Boolean)).toHaveLength(2);
    expect(tries[WAKE_RETRY - 1]).toBe(true);
  });

  it('settles only a pending wake', () => {
    const w = wakeRecord();
    noteAwake(w, false);
    expect(w.results).toEqual([]);
    shouldWake(w);
    noteAwake(w, true);
    noteAwake(w, false);
    expect(w.results).toEqual([true]);
  });
});
