import { describe, expect, it } from 'vitest';
import { poisson } from '../../src/core/poisson.js';
import { createRng } from '../../src/core/rng.js';

const draws = (mean: number, n: number, seed = 1): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => poisson(rng, mean));
};

describe('poisson', () => {
  it.each([0.3, 2.5, 12])('has mean and variance both equal to the mean (%s), within 4 standard errors', (m) => {
    const n = 40_000;
    const xs = draws(m, n);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean - m)).toBeLessThan(4 * Math.sqrt(m / n));
    // var of the sample variance of a Poisson: (m + 2m²)/n
    expect(Math.abs(variance - m)).toBeLessThan(4 * Math.sqrt((m + 2 * m * m) / n));
  });

  it('gives P(0) = exp(−mean) within 4 standard errors', () => {
    const n = 40_000;
    const zeros = draws(1.5, n).filter((x) => x === 0).length / n;
    const p0 = Math.exp(-1.5);
    expect(Math.abs(zeros - p0)).toBeLessThan(4 * Math.sqrt((p0 * (1 - p0)) / n));
  });

  it('returns 0 for mean 0 and consumes one uniform per draw whatever the count', () => {
    const a = createRng(7);
    const b = createRng(7);
    expect(poisson(a, 0)).toBe(0);
    poisson(a, 9);
    b.uniform();
    b.uniform();
    expect(a.uniform()).toBe(b.uniform());
  });

  it('is deterministic by seed', () => {
    expect(draws(3, 50, 4)).toEqual(draws(3, 50, 4));
    expect(draws(3, 50, 4)).not.toEqual(draws(3, 50, 5));
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, 51])('refuses the mean %s, naming the range', (m) => {
    expect(() => poisson(createRng(1), m)).toThrow(/poisson: the mean must be a number in \[0, 50\], got/);
  });
});
