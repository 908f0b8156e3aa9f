/** How long workers spin: long enough to cover the caller's short gaps between calls, never long for an idle app. */
import { describe, expect, it } from 'vitest';
import {
  callsAreClose,
  MAX_SPIN_US,
  noteAwake,
  recordGap,
  shouldWake,
  spinBudgetUs,
  WAKE_RETRY,
  wakeRecord,
} from '../../src/kernels/spinBudget.js';

describe('spin budget', () => {
  it('is the floor until a gap is known, and for calls back to back', () => {
    expect(spinBudgetUs([], 500)).toBe(500);
    expect(spinBudgetUs([0.01, 0.02, 0.01], 500)).toBe(500);
  });

  it('covers one and a half times the median gap when that is a few milliseconds at most', () => {
    expect(spinBudgetUs([0.4, 0.5, 0.4], 500)).toBe(600);
    expect(spinBudgetUs([1.9, 2, 2.1], 500)).toBe(3000);
    expect(spinBudgetUs([1.2, 40, 1.2], 500)).toBe(1800);
  });

  it('falls back to the floor when the gaps are longer than it may spin (an idle app does not burn a core)', () => {
    expect(spinBudgetUs([60, 61, 59], 500)).toBe(500);
    expect(spinBudgetUs([2.1, 2.1, 2.1], 500)).toBe(500);
    expect(1.5 * 2.1 * 1000).toBeGreaterThan(MAX_SPIN_US);
  });

  it('keeps the last seven gaps', () => {
    const gaps: number[] = [];
    for (let i = 0; i < 10; i++) recordGap(gaps, i);
    expect(gaps).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('calls calls close when a spinning worker could meet the next one', () => {
    expect(callsAreClose([])).toBe(false);
    expect(callsAreClose([0.01, 0.3, 0.2])).toBe(true);
    expect(callsAreClose([2, 2, 2])).toBe(true);
    expect(callsAreClose([60, 60, 0.1])).toBe(false);
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
