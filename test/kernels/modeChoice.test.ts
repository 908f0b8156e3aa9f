import { describe, expect, it } from 'vitest';
import { MODE_EXPLORE, modeTimes, nextMode, recordMode } from '../../src/kernels/modeChoice.js';

/** Runs a kind `n` times, each mode taking the time given for it; returns the modes chosen. */
const runs = (n: number, time: { split: number; serial: number }, t = modeTimes()) =>
  Array.from({ length: n }, () => {
    const mode = nextMode(t);
    recordMode(t, mode, time[mode]);
    return mode;
  });

describe('split or serial by measurement', () => {
  it('alternates the modes, split first, until each has run twice', () => {
    expect(runs(4, { split: 1, serial: 1 })).toEqual(['split', 'serial', 'split', 'serial']);
  });

  it('runs serially once split runs measured slower, re-trying a split one run in 16', () => {
    const chosen = runs(4 + 3 * MODE_EXPLORE, { split: 2, serial: 1 }).slice(4);
    expect(chosen.filter((m) => m === 'split')).toHaveLength(3);
    expect(chosen[MODE_EXPLORE - 5]).toBe('split'); // the 16th run of the kind
  });

  it('splits once split runs measured clearly faster, re-trying serial one run in 16', () => {
    const chosen = runs(4 + 2 * MODE_EXPLORE, { split: 0.5, serial: 1 }).slice(4);
    expect(chosen.filter((m) => m === 'serial')).toHaveLength(2);
  });

  it('stays serial near a tie (split 3% faster) rather than flip', () => {
    const chosen = runs(4 + 10, { split: 0.97, serial: 1 }).slice(4);
    expect(chosen.every((m) => m === 'serial')).toBe(true);
  });

  it('is not turned by one slow run: the median of the last seven decides', () => {
    const t = modeTimes();
    runs(20, { split: 0.5, serial: 1 }, t);
    recordMode(t, 'split', 100); // one preempted split run
    const chosen = runs(5, { split: 0.5, serial: 1 }, t);
    expect(chosen.filter((m) => m === 'split').length).toBeGreaterThanOrEqual(4);
  });

  it('keeps only the last seven times of each mode', () => {
    const t = modeTimes();
    for (let i = 0; i < 10; i++) recordMode(t, 'serial', i);
    expect(t.serial).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });
});
