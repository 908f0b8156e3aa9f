/** What a pool learns of a kernel's cost: a rate that cold calls cannot inflate, and size classes whose splits must pay. */
import { describe, expect, it } from 'vitest';
import {
  classPays,
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
    expect(classPays(c, 1e6)).toBe(true);
  });

  it('keeps a class whose splits do not pay serial but one call in RETRY', () => {
    const c = kernelCost();
    noteGain(c, 1e6, 0.9);
    expect(classPays(c, 1e6)).toBe(false);
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
    expect(classPays(c, 1e6)).toBe(false);
    noteGain(c, 1e6, 1.6);
    // 0.7 * 1.04 + 0.3 * 1.6 = 1.21
    expect(c.gain[20]!).toBeGreaterThanOrEqual(MIN_GAIN);
    expect(classPays(c, 1e6)).toBe(true);
  });

  it('keeps size classes apart by the rounded log2 of their work', () => {
    const c = kernelCost();
    noteGain(c, 1e6, 0.5);
    expect(classPays(c, 1.1e6)).toBe(false);
    expect(classPays(c, 4e6)).toBe(true);
    expect(classPays(c, 2.5e5)).toBe(true);
  });

  it('ignores a gain that is not a number (a split before any serial sample)', () => {
    const c = kernelCost();
    noteGain(c, 1e6, Number.NaN);
    noteGain(c, 1e6, Number.POSITIVE_INFINITY);
    expect(c.gain[20]).toBeNaN();
    expect(classPays(c, 1e6)).toBe(true);
  });
});
