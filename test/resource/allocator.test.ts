import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { allocate, planFrontier, type ModalityOptions, type Budget } from '../../src/resource/allocator.js';
import { createGovernor, planForDevice } from '../../src/resource/governor.js';
import { createRng } from '../../src/core/rng.js';
import { unwrap, isKapriError } from '../../src/core/errors.js';

/** Random instances; with `skips`, option 0 of each modality may skip it (cheap, low value). */
const randomInstance = (seed: number, skips = false): ModalityOptions[] => {
  const rng = createRng(seed);
  return Array.from({ length: 1 + rng.int(3) }, (_, m) => ({
    modality: `m${m}`,
    options: Array.from({ length: 1 + rng.int(7) }, (_, k) =>
      skips && k === 0 && rng.int(2) === 0
        ? { id: 'skip', bytes: rng.int(50), latencyMs: rng.int(4) / 4, value: rng.int(30) / 10, skip: true }
        : { id: `o${k}`, bytes: rng.int(1000), latencyMs: rng.int(50) / 4, value: rng.int(100) / 10 },
    ),
  }));
};

/** Every combination, the obvious way. */
const bruteForce = (mods: ModalityOptions[], b: Budget): number | null => {
  let best: number | null = null;
  let kept = false;
  const rec = (i: number, bytes: number, lat: number, value: number, keptSoFar = false): void => {
    kept = keptSoFar;
    if (i === mods.length) {
      if (kept && bytes <= b.memoryBytes && lat <= b.latencyMs && (best === null || value > best)) best = value;
      return;
    }
    for (const o of mods[i]!.options)
      rec(i + 1, bytes + o.bytes, lat + o.latencyMs, value + o.value, keptSoFar || !o.skip);
  };
  rec(0, 0, 0, 0);
  return best;
};

describe('allocate (multiple-choice knapsack)', () => {
  it('finds the same optimum as brute force on 300 random instances', () => {
    for (let s = 0; s < 300; s++) {
      const mods = randomInstance(s);
      const rng = createRng(1000 + s);
      const budget = { memoryBytes: rng.int(2500), latencyMs: rng.int(120) / 4 };
      const want = bruteForce(mods, budget);
      const got = allocate(mods, budget);
      if (want === null) expect(E.isLeft(got)).toBe(true);
      else expect(unwrap(got).value).toBeCloseTo(want, 9);
    }
  });

  it('finds the brute-force optimum among plans that keep a modality, on 300 random instances with skip options', () => {
    for (let s = 0; s < 300; s++) {
      const mods = randomInstance(5000 + s, true);
      if (mods.every((m) => m.options.every((o) => o.skip))) continue;
      const rng = createRng(9000 + s);
      const budget = { memoryBytes: rng.int(2500), latencyMs: rng.int(120) / 4 };
      const want = bruteForce(mods, budget);
      const got = allocate(mods, budget);
      if (want === null) expect(E.isLeft(got)).toBe(true);
      else expect(unwrap(got).value).toBeCloseTo(want, 9);
    }
  });

  it('never skips every modality, even when skipping all would dominate', () => {
    const mods: ModalityOptions[] = [
      {
        modality: 'rgb',
        options: [
          { id: 'skip', bytes: 0, latencyMs: 0, value: 5, skip: true },
          { id: 'int8', bytes: 100, latencyMs: 2, value: 4 },
        ],
      },
      {
        modality: 'depth',
        options: [
          { id: 'skip', bytes: 0, latencyMs: 0, value: 5, skip: true },
          { id: 'int8', bytes: 80, latencyMs: 3, value: 4 },
        ],
      },
    ];
    const front = unwrap(planFrontier(mods));
    expect(front.every((p) => p.choice['rgb'] !== 'skip' || p.choice['depth'] !== 'skip')).toBe(true);
    // Equal value (9): the lower latency wins.
    expect(unwrap(allocate(mods, { memoryBytes: 1000, latencyMs: 10 })).choice).toEqual({ rgb: 'int8', depth: 'skip' });
  });

  it('refuses option sets in which every option skips', () => {
    const r = planFrontier([
      { modality: 'rgb', options: [{ id: 'skip', bytes: 0, latencyMs: 0, value: 0, skip: true }] },
    ]);
    expect(E.isLeft(r) && isKapriError(r.left, 'InvalidConfig')).toBe(true);
  });

  it('returns a plan whose totals are the sums of its choices and fit the budget', () => {
    const mods: ModalityOptions[] = [
      {
        modality: 'rgb',
        options: [
          { id: 'int8', bytes: 100, latencyMs: 2, value: 5 },
          { id: 'int4', bytes: 60, latencyMs: 2, value: 4 },
        ],
      },
      {
        modality: 'depth',
        options: [
          { id: 'skip', bytes: 0, latencyMs: 0.1, value: 0 },
          { id: 'int8', bytes: 80, latencyMs: 3, value: 3 },
        ],
      },
    ];
    const p = unwrap(allocate(mods, { memoryBytes: 150, latencyMs: 10 }));
    expect(p.choice).toEqual({ rgb: 'int4', depth: 'int8' });
    expect(p.bytes).toBe(140);
    expect(p.latencyMs).toBe(5);
    expect(p.value).toBe(7);
  });

  it('answers OutOfBudget with the smallest achievable memory and latency', () => {
    const mods: ModalityOptions[] = [
      {
        modality: 'rgb',
        options: [
          { id: 'a', bytes: 100, latencyMs: 9, value: 1 },
          { id: 'b', bytes: 300, latencyMs: 2, value: 2 },
        ],
      },
    ];
    const r = allocate(mods, { memoryBytes: 50, latencyMs: 1 });
    expect(E.isLeft(r)).toBe(true);
    const e = (r as E.Left<Error>).left;
    expect(isKapriError(e, 'OutOfBudget')).toBe(true);
    expect(e.message).toMatch(/100 bytes and 2\.000 ms/);
  });

  it('keeps only non-dominated plans on the frontier', () => {
    const mods: ModalityOptions[] = [
      {
        modality: 'x',
        options: [
          { id: 'good', bytes: 10, latencyMs: 1, value: 5 },
          { id: 'worse', bytes: 20, latencyMs: 2, value: 4 },
        ],
      },
    ];
    expect(unwrap(planFrontier(mods)).map((p) => p.choice['x'])).toEqual(['good']);
  });

  it('refuses a modality without options and non-finite costs', () => {
    expect(E.isLeft(allocate([{ modality: 'x', options: [] }], { memoryBytes: 1, latencyMs: 1 }))).toBe(true);
    expect(
      E.isLeft(
        allocate([{ modality: 'x', options: [{ id: 'a', bytes: Number.NaN, latencyMs: 1, value: 1 }] }], {
          memoryBytes: 1,
          latencyMs: 1,
        }),
      ),
    ).toBe(true);
  });
});

describe('governor', () => {
  it('re-plans from the stored frontier exactly as a fresh allocation would', () => {
    const mods = randomInstance(42);
    const g = createGovernor(unwrap(planFrontier(mods)));
    for (const budget of [
      { memoryBytes: 3000, latencyMs: 100 },
      { memoryBytes: 500, latencyMs: 10 },
      { memoryBytes: 200, latencyMs: 5 },
    ]) {
      const a = g.update(budget);
      const b = allocate(mods, budget);
      expect(E.isRight(a)).toBe(E.isRight(b));
      if (E.isRight(a) && E.isRight(b)) expect(a.right.value).toBe(b.right.value);
    }
  });

  it('plans a device on its speed-scaled budget, with fixed costs taken off the budget and added to the plan', () => {
    const mods: ModalityOptions[] = [
      {
        modality: 'rgb',
        options: [
          { id: 'big', bytes: 100, latencyMs: 4, value: 2 },
          { id: 'small', bytes: 50, latencyMs: 1, value: 1 },
        ],
      },
    ];
    const g = createGovernor(unwrap(planFrontier(mods)));
    const device = {
      name: 'd',
      description: '',
      memoryBytes: 130,
      latencyMs: 10,
      threads: 1,
      simd: true,
      relativeSpeed: 0.5,
    };
    // Budget here: 130 − 40 bytes, 10·0.5 − 1 ms: only 'small' fits.
    const r = planForDevice(g, device, { bytes: 40, latencyMs: 1 });
    expect(r).toEqual({ plan: { choice: { rgb: 'small' }, bytes: 90, latencyMs: 2, value: 1 }, fits: true });
    const none = planForDevice(g, { ...device, memoryBytes: 60 }, { bytes: 40, latencyMs: 1 });
    expect(none.fits).toBe(false);
    expect(none.plan.choice).toEqual({ rgb: 'small' });
  });
});
