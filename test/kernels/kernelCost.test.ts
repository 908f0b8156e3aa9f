/** What a pool learns of a kernel's cost: a rate that cold calls cannot inflate, and size classes whose splits must pay. */
import { describe, expect, it } from 'vitest';
import {
  classSplits,
  EXPLORE,
  kernelCost,
  learnRate,
  MIN_GAIN,
  noteGain,
  RETRY,
  SAMPLES,
  trustedRate,
} from '../../src/kernels/kernelCost.js';

describe('kernel cost', () => {
  it('trusts the rate only after enough samples', () => {
    const c = kernelCost();
    for (let i = 1; i < SAMPLES; i++) {
      learnRate(c, 1e-6);
      expect(trustedRate(c)).toBeNaN();
    }
    learnRate(c, 1e-6);
    expect(trustedRate(c)).toBe(1e-6);
  });

  it('falls to a faster sample at once and rises a tenth of the way towards a slower one', () => {
    const c = kernelCost();
    learnRate(c, 4e-6); // a cold first call
    learnRate(c, 1e-6);
    expect(c.msPerWork).toBe(1e-6);
    learnRate(c, 2e-6); // a preempted call
    expect(c.msPerWork).toBeCloseTo(1.1e-6, 12);
  });

  it('lets an unmeasured size class split but one call in EXPLORE', () => {
    const c = kernelCost();
    const verdicts = Array.from({ length: 2 * EXPLORE }, () => classSplits(c, 1e6));
    expect(verdicts.filter((v) => !v)).toHaveLength(2);
    expect(verdicts[EXPLORE - 1]).toBe(false);
  });

  it('keeps a class whose splits do not pay serial but one call in RETRY', () => {
    const c = kernelCost();
    noteGain(c, 1e6, 0.9);
    const verdicts = Array.from({ length: 2 * RETRY }, () => classSplits(c, 1e6));
    expect(verdicts.filter((v) => v)).toHaveLength(2);
    expect(verdicts[RETRY - 1]).toBe(true);
  });

  it('averages a class gain so that one good split does not undo a record of bad ones', () => {
    const c = kernelCost();
    noteGain(c, 1e6, 0.8);
    noteGain(c, 1e6, 1.6);
    // 0.7 * 0.8 + 0.3 * 1.6
    expect(c.gain[20]).toBeCloseTo(1.04, 12);
    expect(c.gain[20]!).toBeLessThan(MIN_GAIN);
    noteGain(c, 1e6, 1.6);
    // 0.7 * 1.04 + 0.3 * 1.6 = 1.21
    expect(c.gain[20]!).toBeGreaterThanOrEqual(MIN_GAIN);
  });

  it('owes a re-try that falls due while the workers sleep to the next call that finds them awake', () => {
    const c = kernelCost();
    noteGain(c, 1e6, 0.9);
    // a class that lost, called with its workers asleep: its RETRY-th call says to wake them
    for (let i = 1; i < RETRY; i++) expect(classSplits(c, 1e6, false)).toBe(false);
    expect(classSplits(c, 1e6, false)).toBe(true);
    // the wake came late: the next call finds them asleep again and asks again
    expect(classSplits(c, 1e6, false)).toBe(true);
    // the call that finds them awake splits, and the debt is paid
    expect(classSplits(c, 1e6, true)).toBe(true);
    expect(classSplits(c, 1e6, true)).toBe(false);
    expect(classSplits(c, 1e6, false)).toBe(false);
  });

  it('keeps size classes apart by the rounded log2 of their work', () => {
    const c = kernelCost();
    noteGain(c, 1e6, 0.5);
    // a class that lost splits on its RETRY-th call only; the others, on all but every EXPLORE-th
    const first = (work: number) => classSplits(c, work);
    expect(first(1.1e6)).toBe(false);
    expect(first(4e6)).toBe(true);
    expect(first(2.5e5)).toBe(true);
  });

  it('ignores a gain that is not a number (a split before any serial sample)', () => {
    const c = kernelCost();
    noteGain(c, 1e6, Number.NaN);
    noteGain(c, 1e6, Number.POSITIVE_INFINITY);
    expect(c.gain[20]).toBeNaN();
    expect(classSplits(c, 1e6)).toBe(true);
  });
});
