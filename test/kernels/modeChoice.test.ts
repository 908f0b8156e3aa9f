import { describe, expect, it } from 'vitest';
import { median } from '../../src/core/median.js';
import { createRng } from '../../src/core/rng.js';
import {
  MODE_BLOCK,
  MODE_EXPLORE,
  MODE_EXPLORE_MAX,
  MODE_FIRST,
  MODE_PREWARM,
  medianOfFew,
  modeTimes,
  quantileOfFew,
  nextMode,
  recordMode,
  wantsWarm,
} from '../../src/kernels/modeChoice.js';

/** Runs a kind `n` times, each mode taking the time given for it; returns the modes chosen. */
const runs = (n: number, time: { split: number; serial: number }, t = modeTimes()) =>
  Array.from({ length: n }, () => {
    const mode = nextMode(t);
    recordMode(t, mode, time[mode]);
    return mode;
  });

const LEARN = 2 * MODE_FIRST * MODE_BLOCK;
const block = (mode: 'split' | 'serial') => Array.from({ length: MODE_BLOCK }, () => mode);

describe('split or serial by measurement', () => {
  it('runs blocks of one mode, alternating split and serial, split first, until each mode has had two', () => {
    expect(runs(LEARN, { split: 1, serial: 1 })).toEqual([
      ...block('split'),
      ...block('serial'),
      ...block('split'),
      ...block('serial'),
    ]);
  });

  it('does not record the first run of a block that changed mode (it pays for the change)', () => {
    const t = modeTimes();
    runs(LEARN, { split: 1, serial: 2 }, t);
    // the very first block changed nothing; each later one drops its first run
    expect(t.split).toHaveLength(MODE_BLOCK + MODE_BLOCK - 1);
    expect(t.serial).toHaveLength(2 * (MODE_BLOCK - 1));
  });

  it('runs serially once split runs measured slower, re-trying a block of splits after 16 blocks', () => {
    const chosen = runs(LEARN + 2 * MODE_EXPLORE * MODE_BLOCK, { split: 2, serial: 1 }).slice(LEARN);
    expect(chosen.filter((m) => m === 'split')).toHaveLength(MODE_BLOCK);
    const first = chosen.indexOf('split');
    expect(first).toBe((MODE_EXPLORE - 1) * MODE_BLOCK - LEARN);
    expect(chosen.slice(first, first + MODE_BLOCK)).toEqual(block('split'));
  });

  it('re-tries the slower mode twice as late each time the choice holds, up to every 128 blocks', () => {
    const modes = runs(400 * MODE_BLOCK, { split: 2, serial: 1 });
    const splitBlocks = [];
    for (let b = 2 * MODE_FIRST; b < 400; b++) if (modes[b * MODE_BLOCK] === 'split') splitBlocks.push(b);
    expect(splitBlocks).toEqual([15, 47, 111, 111 + MODE_EXPLORE_MAX, 111 + 2 * MODE_EXPLORE_MAX]);
  });

  it('re-tries again at once when a re-try beat the choice, and every 16 blocks once the choice changes', () => {
    const t = modeTimes();
    // serial is faster for 100 blocks (re-tries at blocks 15 and 47), then splitting is
    const modes = [
      ...runs(100 * MODE_BLOCK, { split: 2, serial: 1 }, t),
      ...runs(100 * MODE_BLOCK, { split: 0.5, serial: 1 }, t),
    ];
    const blocks = Array.from({ length: 200 }, (_, b) => modes[b * MODE_BLOCK]);
    // the re-try at block 111 beats serial; block 112 re-tries again and the choice turns to split
    expect(blocks.slice(100, 111).every((m) => m === 'serial')).toBe(true);
    expect(blocks.slice(111, 126).every((m) => m === 'split')).toBe(true);
    // from then on serial is re-tried 16 blocks after the change
    expect(blocks.indexOf('serial', 112)).toBe(112 + MODE_EXPLORE);
  });

  it('splits once split runs measured clearly faster, re-trying serial now and then', () => {
    const chosen = runs(LEARN + 2 * MODE_EXPLORE * MODE_BLOCK, { split: 0.5, serial: 1 }).slice(LEARN);
    expect(chosen.filter((m) => m === 'serial')).toHaveLength(MODE_BLOCK);
  });

  it('stays serial near a tie (split 3% faster) rather than flip', () => {
    const chosen = runs(LEARN + 10 * MODE_BLOCK, { split: 0.97, serial: 1 }).slice(LEARN);
    expect(chosen.every((m) => m === 'serial')).toBe(true);
  });

  it('splits a kind whose split times beat serial by median, though they spread over it', () => {
    const t = modeTimes();
    runs(LEARN, { split: 1, serial: 1 }, t);
    t.split.splice(0, t.split.length, 0.32, 0.32, 0.32, 0.37, 0.47, 0.48, 0.54);
    t.serial.splice(0, t.serial.length, 0.38, 0.38, 0.36, 0.47, 0.48, 0.48, 0.47);
    expect(runs(MODE_BLOCK, { split: 1, serial: 1 }, t)).toEqual(block('split'));
  });

  it('keeps a strict kind serial when its split times beat serial by median but spread over it', () => {
    const t = modeTimes(true);
    runs(LEARN, { split: 1, serial: 1 }, t);
    t.split.splice(0, t.split.length, 0.32, 0.32, 0.32, 0.37, 0.47, 0.48, 0.54);
    t.serial.splice(0, t.serial.length, 0.38, 0.38, 0.36, 0.47, 0.48, 0.48, 0.47);
    expect(runs(MODE_BLOCK, { split: 1, serial: 1 }, t)).toEqual(block('serial'));
  });

  it('is not turned by one slow run: the median of the last seven decides', () => {
    const t = modeTimes();
    runs(LEARN + 4 * MODE_BLOCK, { split: 0.5, serial: 1 }, t);
    recordMode(t, 'split', 100); // one preempted split run
    const chosen = runs(2 * MODE_BLOCK, { split: 0.5, serial: 1 }, t);
    expect(chosen).toEqual([...block('split'), ...block('split')]);
  });

  it('keeps only the last seven times of each mode', () => {
    const t = modeTimes();
    for (let i = 0; i < 10; i++) recordMode(t, 'serial', i);
    expect(t.serial).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('keeping the workers awake', () => {
  it('wants them awake while a kind learns and while it splits', () => {
    const t = modeTimes();
    const wanted = Array.from({ length: LEARN }, () => {
      const mode = nextMode(t);
      recordMode(t, mode, mode === 'split' ? 0.5 : 1);
      return wantsWarm(t);
    });
    expect(wanted.every(Boolean)).toBe(true);
    runs(4 * MODE_BLOCK, { split: 0.5, serial: 1 }, t);
    expect(t.mode).toBe('split');
    expect(wantsWarm(t)).toBe(true);
  });

  it('lets them sleep through serial blocks but for the few before a re-try of splitting', () => {
    const t = modeTimes();
    const blocks: boolean[] = [];
    for (let b = 0; b < MODE_EXPLORE + 2; b++) {
      runs(MODE_BLOCK, { split: 2, serial: 1 }, t);
      blocks.push(wantsWarm(t));
    }
    // blocks are counted from 0; the re-try is block 15 (MODE_EXPLORE - 1), and the four before it
    const warmBlocks = blocks.map((w, b) => (w ? b : -1)).filter((b) => b >= 2 * MODE_FIRST);
    const retry = MODE_EXPLORE - 1;
    expect(warmBlocks).toEqual(Array.from({ length: MODE_PREWARM + 1 }, (_, i) => retry - MODE_PREWARM + i));
  });
});

describe('quantileOfFew', () => {
  it('takes the nearest rank at or above the quantile', () => {
    expect(quantileOfFew([7, 1, 6, 2, 5, 3, 4], 0.75)).toBe(6);
    expect(quantileOfFew([3, 1, 2], 0.75)).toBe(3);
    expect(quantileOfFew([5], 0.75)).toBe(5);
    expect(quantileOfFew([4, 2, 3, 1], 0)).toBe(1);
  });
});

describe('medianOfFew', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])('equals the median of %i numbers and leaves them as they were', (n) => {
    const rng = createRng(n);
    for (let rep = 0; rep < 20; rep++) {
      const xs = Array.from({ length: n }, () => rng.int(12) / 4);
      const copy = [...xs];
      expect(medianOfFew(xs)).toBe(median(xs));
      expect(xs).toEqual(copy);
    }
  });
});
