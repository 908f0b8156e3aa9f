/**
 * The tie and large-accumulator edge cases can fail: with the reference's rounding swapped for round
 * half away from zero, the kernels disagree with it on every tie case; with its float32 steps swapped
 * for exact arithmetic, on every large-accumulator case. A kernel that rounded either way would fail
 * test/kernels/suites/qs8EdgeSuite.ts the same way.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadKernels, type KernelModule } from '../../src/kernels/loader.js';
import { largeAccumulatorCases, tieCases } from './suites/qs8EdgeCases.js';

type Mode = 'contract' | 'halfAway' | 'exact';
const mode = vi.hoisted(() => ({ current: 'contract' as Mode }));

vi.mock('../../src/kernels/reference/rounding.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/kernels/reference/rounding.js')>();
  return {
    roundHalfEven: (x: number): number =>
      mode.current === 'halfAway' ? Math.sign(x) * Math.round(Math.abs(x)) : real.roundHalfEven(x),
  };
});

vi.mock('../../src/kernels/reference/requantize.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/kernels/reference/requantize.js')>();
  const { roundHalfEven } = await import('../../src/kernels/reference/rounding.js');
  return {
    ...real,
    requantize: (acc: number, m: number, zp: number, lo: number, hi: number): number => {
      if (mode.current !== 'exact') return real.requantize(acc, m, zp, lo, hi);
      const v = roundHalfEven(acc * m) + zp; // no float32 rounding of the accumulator or the product
      return v < lo ? lo : Math.min(v, hi);
    },
  };
});

const withMode = <T>(m: Mode, f: () => T): T => {
  mode.current = m;
  try {
    return f();
  } finally {
    mode.current = 'contract';
  }
};

/** Outputs on which the kernel and the reference (under the current mode) differ. */
const differing = (a: Int8Array, b: Int8Array): number => a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0);

let k: KernelModule;
beforeAll(async () => {
  k = await loadKernels({ build: 'simd' });
});

const GROUPS = [
  ['tie', 'round half even, not round half away', 'halfAway', tieCases, (_n: number) => 1],
  // every output of the first image (of two or three) was placed where the two roundings part
  [
    'large-accumulator',
    'float32 requantization, not exact arithmetic',
    'exact',
    largeAccumulatorCases,
    (n: number) => n / 3,
  ],
] as const;

describe('the edge cases tell roundings apart', () => {
  for (const [group, what, other, cases, atLeast] of GROUPS) {
    it.each(cases().map((c) => [c.name, c] as const))(`${group} case %s: the kernel matches ${what}`, (_, c) => {
      const got = c.run(k);
      expect(
        differing(
          got,
          withMode('contract', () => c.reference()),
        ),
      ).toBe(0);
      const apart = differing(
        got,
        withMode(other, () => c.reference()),
      );
      expect(apart).toBeGreaterThanOrEqual(atLeast(got.length));
    });
  }
});
