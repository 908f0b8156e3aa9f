// biome-ignore-all lint/correctness/noPrecisionLoss: reference values are quoted at the precision of their source.
import { describe, expect, it } from 'vitest';
import { isKapriError, type KapriErrorTag } from '../../src/core/errors.js';
import {
  compareAll,
  holm,
  pairedComparison,
  studentTCdf,
  studentTQuantile,
  wilcoxonSignedRank,
} from '../../src/core/pairedStats.js';

/** |actual − expected| ≤ rel·|expected| (or ≤ rel when expected is 0). */
const expectRel = (actual: number | null | undefined, expected: number, rel = 1e-10): void => {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  const err = Math.abs((actual as number) - expected);
  expect(err, `${actual} vs ${expected}`).toBeLessThanOrEqual(
    rel * Math.max(Math.abs(expected), expected === 0 ? 1 : 0),
  );
};

const expectKapriError = (f: () => unknown, tag: KapriErrorTag, messagePart: string): void => {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(isKapriError(caught, tag), `expected KapriError[${tag}], got ${String(caught)}`).toBe(true);
  expect((caught as Error).message).toContain(messagePart);
};

/** Closed forms used as independent references: Student t with 1 (Cauchy) and 2 degrees of freedom. */
const cauchyCdf = (t: number): number => 0.5 + Math.atan(t) / Math.PI;
/** Cauchy quantile written through the smaller tail, so the reference itself keeps full accuracy. */
const cauchyQuantile = (p: number): number => (p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p)));
const t2Cdf = (t: number): number => 0.5 + t / (2 * Math.sqrt(2 + t * t));
const t2Quantile = (p: number): number => (2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p)));

/** Independent reference: one-sided Wilcoxon p by brute force over all 2^n sign patterns (no zeros). */
const bruteForceWilcoxonP = (d: readonly number[]): number => {
  const abs = d.map(Math.abs);
  const ranks = abs.map((v) => {
    const below = abs.filter((w) => w < v).length;
    const equal = abs.filter((w) => w === v).length;
    return below + (equal + 1) / 2;
  });
  const observed = ranks.reduce((s, r, i) => s + (d[i]! > 0 ? r : 0), 0);
  let atLeast = 0;
  for (let mask = 0; mask < 2 ** d.length; mask++) {
    const w = ranks.reduce((s, r, i) => s + ((mask >> i) & 1 ? r : 0), 0);
    if (w >= observed - 1e-9) atLeast++;
  }
  return atLeast / 2 ** d.length;
};

// R's `sleep` data set (Student 1908): extra hours of sleep under two drugs, 10 patients.
const SLEEP_DRUG1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_DRUG2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('studentTCdf', () => {
  it('matches the table value CDF(2; 5 df) = 0.9490302605', () => {
    expectRel(studentTCdf(2, 5), 0.9490302605850708);
  });

  it('is 1/2 at zero and symmetric about it', () => {
    expect(studentTCdf(0, 7)).toBe(0.5);
    for (const t of [0.1, 1, 2.5, 9]) expect(studentTCdf(-t, 6.5) + studentTCdf(t, 6.5)).toBeCloseTo(1, 15);
  });

  it('equals the closed forms for 1 (Cauchy) and 2 degrees of freedom', () => {
    for (const t of [-50, -3, -0.4, 0.7, 2, 30]) {
      expectRel(studentTCdf(t, 1), cauchyCdf(t), 1e-12);
      expectRel(studentTCdf(t, 2), t2Cdf(t), 1e-12);
    }
  });

  it('keeps relative accuracy far into the lower tail (references from mpmath at 40 digits)', () => {
    expectRel(studentTCdf(-10, 3), 0.0010641995292070750287);
    expectRel(studentTCdf(-40, 2.5), 0.000070978171452466914564);
    expectRel(studentTCdf(-200, 4), 1.8746875410107036889e-9);
    expectRel(studentTCdf(0.3, 12), 0.61534476295587383279);
  });

  it('approaches the standard normal for very large df, and is the normal at df = Infinity', () => {
    expectRel(studentTCdf(1.5, 1e6), 0.93319264088160361538);
    expectRel(studentTCdf(-7, 1e7), 1.279892474926732e-12);
    expectRel(studentTCdf(-1.96, 1e4), 0.025011760115916524);
    expectRel(studentTCdf(1.5, Infinity), 0.9331927987311419, 1e-12);
    expectRel(studentTCdf(-8, Infinity), 6.22096057427174e-16, 1e-10);
  });

  it('rejects df ≤ 0 and NaN with InvalidArgument', () => {
    expectKapriError(() => studentTCdf(1, 0), 'InvalidArgument', 'degrees of freedom');
    expectKapriError(() => studentTCdf(1, Number.NaN), 'InvalidArgument', 'degrees of freedom');
    expectKapriError(() => studentTCdf(Number.NaN, 3), 'InvalidArgument', 'NaN');
  });
});

describe('studentTQuantile', () => {
  it('matches table values t(0.975; 4), t(0.975; 1), t(0.95; 9)', () => {
    expectRel(studentTQuantile(0.975, 4), 2.7764451051977934);
    expectRel(studentTQuantile(0.975, 1), 12.706204736174694);
    expectRel(studentTQuantile(0.95, 9), 1.833112932656237);
  });

  it('equals the closed forms for 1 and 2 degrees of freedom', () => {
    for (const p of [1e-8, 0.01, 0.3, 0.6, 0.975, 0.999999]) {
      expectRel(studentTQuantile(p, 1), cauchyQuantile(p), 1e-10);
      expectRel(studentTQuantile(p, 2), t2Quantile(p), 1e-10);
    }
  });

  it('inverts the CDF across probabilities and degrees of freedom', () => {
    for (const df of [1, 2.5, 4, 9, 30, 1000]) {
      for (const p of [1e-12, 1e-4, 0.05, 0.4, 0.5, 0.77, 0.975, 1 - 1e-9]) {
        expectRel(studentTCdf(studentTQuantile(p, df), df), p, 1e-10);
      }
    }
  });

  it('returns −Infinity, 0 and +Infinity at p = 0, 1/2 and 1', () => {
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
  });

  it('rejects p outside [0, 1] with InvalidArgument', () => {
    expectKapriError(() => studentTQuantile(1.2, 3), 'InvalidArgument', 'p must be in [0, 1]');
    expectKapriError(() => studentTQuantile(Number.NaN, 3), 'InvalidArgument', 'p must be in [0, 1]');
  });
});

describe('wilcoxonSignedRank', () => {
  it('gives p = 1/32 for five positive differences (only one of 32 sign patterns reaches W+ = 15)', () => {
    const r = wilcoxonSignedRank([0.3, 1.2, 0.7, 2, 0.1]);
    expect(r.p).toBe(1 / 32);
    expect(r.wPlus).toBe(15);
    expect(r.exact).toBe(true);
  });

  it('gives p = 2/64 for six differences whose only negative has the smallest rank', () => {
    // W+ = 20 of 21: reached by "all positive" (21) and "rank 1 negative" (20).
    expect(wilcoxonSignedRank([-0.1, 2, 3, 4, 5, 6]).p).toBe(2 / 64);
  });

  it('gives p = 1 when every difference is negative', () => {
    expect(wilcoxonSignedRank([-1, -2, -3]).p).toBe(1);
  });

  it('drops zero differences before ranking', () => {
    const r = wilcoxonSignedRank([0, 1, 2, 0, 3, 4, 5]);
    expect(r.nNonZero).toBe(5);
    expect(r.p).toBe(1 / 32);
  });

  it('gives p = 1/2 when every difference is zero', () => {
    expect(wilcoxonSignedRank([0, 0, 0])).toEqual({ wPlus: 0, nNonZero: 0, p: 0.5, exact: true });
  });

  it('ranks ties by their average and enumerates exactly over those ranks (hand-worked: 3/32)', () => {
    // |d| = 1, 1, 2, 2, 3 → ranks 1.5, 1.5, 3.5, 3.5, 5; W+ = 13.5 of 15, so W− ≤ 1.5:
    // W− = 0 (one pattern) or 1.5 (either 1.5 negative: two patterns) → 3 of 32.
    const r = wilcoxonSignedRank([1, -1, 2, 2, 3]);
    expect(r.wPlus).toBe(13.5);
    expect(r.p).toBe(3 / 32);
  });

  it('agrees with brute-force enumeration of all sign patterns on a tied sample of 12', () => {
    const d = [0.5, -0.5, 1, 1, 1, -2, 3, 3.5, -3.5, 4, 5, 5];
    expect(wilcoxonSignedRank(d).p).toBeCloseTo(bruteForceWilcoxonP(d), 14);
  });

  it('treats differences equal up to floating-point noise as ties', () => {
    const noisy = [0.8 - 0.7, 0.5 - 0.4, 0.3 - 0.1, -(0.9 - 0.7)];
    expect(noisy[0]).not.toBe(noisy[1]); // the noise is really there
    expect(wilcoxonSignedRank(noisy).p).toBe(wilcoxonSignedRank([0.1, 0.1, 0.2, -0.2]).p);
  });

  it('uses the normal approximation with continuity and tie correction above 25 non-zero differences', () => {
    const d = [
      0.5, 1, 1.5, -2, 2.5, 3.25, 3.25, -4, 4.5, 5, -5, 5, 6.5, 7, 7.5, -8, 8.5, 9, 9.5, -10, 10.5, 11, 11.5, -12, 12.5,
      13, 13.5, -14, 14.5, 15,
    ];
    const r = wilcoxonSignedRank(d);
    expect(r.exact).toBe(false);
    expect(r.wPlus).toBe(354);
    // scipy.stats.wilcoxon(d, alternative='greater', method='approx', correction=True, zero_method='wilcox')
    expectRel(r.p, 0.006403380143416092, 1e-9);
  });

  it('rejects non-finite differences with InvalidArgument', () => {
    expectKapriError(() => wilcoxonSignedRank([1, Number.NaN]), 'InvalidArgument', 'difference 1');
  });
});

describe('pairedComparison', () => {
  it('computes mean, se, t, one-sided p and the 95% interval from the per-seed differences (worked, df = 2)', () => {
    // d = [2, 1, 3]: mean 2, sample sd 1, se = 1/√3, t = 2√3; with 2 df the t CDF has a closed form.
    const c = pairedComparison([3, 5, 4], [1, 4, 1], true, { method: 'A', baseline: 'B' });
    const se = 1 / Math.sqrt(3);
    const t = 2 / se;
    expect(c.perSeed).toEqual([2, 1, 3]);
    expect(c.nSeeds).toBe(3);
    expectRel(c.meanDiff, 2, 1e-15);
    expectRel(c.se, se, 1e-14);
    expectRel(c.t, t, 1e-14);
    expectRel(c.p, 1 - t2Cdf(t), 1e-10);
    const half = t2Quantile(0.975) * se; // t(0.975; 2) = 4.302653
    expectRel(c.ci95?.[0], 2 - half, 1e-10);
    expectRel(c.ci95?.[1], 2 + half, 1e-10);
  });

  it("reproduces R's t.test(drug2, drug1, paired = TRUE, alternative = 'greater') on the sleep data", () => {
    // R: t = 4.0621, df = 9, two-sided p-value = 0.002833, 95% CI 0.7001142 2.4598858, mean diff 1.58.
    const c = pairedComparison(SLEEP_DRUG2, SLEEP_DRUG1, true, { method: 'drug2', baseline: 'drug1' });
    expectRel(c.meanDiff, 1.58, 1e-12);
    expectRel(c.t, 4.062127683382037, 1e-10);
    expectRel(c.p, 0.0014164450986921364, 1e-9);
    expect((c.p ?? 1) * 2).toBeCloseTo(0.002833, 6);
    expectRel(c.ci95?.[0], 0.7001142367230175, 1e-9);
    expectRel(c.ci95?.[1], 2.459885763276983, 1e-9);
  });

  it('names the method and baseline and starts with pHolm equal to p', () => {
    const c = pairedComparison(SLEEP_DRUG2, SLEEP_DRUG1, true, { method: 'drug2', baseline: 'drug1' });
    expect(c.method).toBe('drug2');
    expect(c.baseline).toBe('drug1');
    expect(c.pHolm).toBe(c.p);
  });

  it('includes the one-sided Wilcoxon p of the per-seed differences', () => {
    const c = pairedComparison(SLEEP_DRUG2, SLEEP_DRUG1, true, { method: 'drug2', baseline: 'drug1' });
    expect(c.wilcoxonP).toBe(wilcoxonSignedRank(c.perSeed).p);
    expect(c.wilcoxonP).toBeCloseTo(bruteForceWilcoxonP(c.perSeed.filter((d) => Math.abs(d) > 1e-9)), 14);
  });

  it('flips the sign of the differences when lower is better, so positive still means "a is better"', () => {
    const errA = [0.1, 0.12, 0.09, 0.11, 0.1];
    const errB = [0.15, 0.14, 0.12, 0.16, 0.13];
    const lower = pairedComparison(errA, errB, false, { method: 'a', baseline: 'b' });
    expect(lower.meanDiff).toBeGreaterThan(0);
    lower.perSeed.forEach((d, i) => expect(d).toBe(errB[i]! - errA[i]!));
    const negated = pairedComparison(
      errA.map((x) => -x),
      errB.map((x) => -x),
      true,
      { method: 'a', baseline: 'b' },
    );
    expect(lower).toEqual(negated);
  });

  it('gives a p above 1/2 when the method is worse than the baseline', () => {
    const c = pairedComparison(SLEEP_DRUG1, SLEEP_DRUG2, true, { method: 'drug1', baseline: 'drug2' });
    expect(c.meanDiff).toBeLessThan(0);
    expectRel(c.p, 1 - 0.0014164450986921364, 1e-9);
  });

  it('gives t = +Infinity and p = 0 when every difference is the same positive value (se = 0)', () => {
    const c = pairedComparison([1.5, 2.5, 3.5], [1, 2, 3], true, { method: 'a', baseline: 'b' });
    expect(c.se).toBe(0);
    expect(c.t).toBe(Infinity);
    expect(c.p).toBe(0);
    expect(c.ci95).toEqual([0.5, 0.5]);
  });

  it('gives t = −Infinity and p = 1 when every difference is the same negative value', () => {
    const c = pairedComparison([1, 2, 3], [1.5, 2.5, 3.5], true, { method: 'a', baseline: 'b' });
    expect(c.t).toBe(-Infinity);
    expect(c.p).toBe(1);
  });

  it('gives t = 0 and p = 1/2 (both tests) when every difference is zero', () => {
    const c = pairedComparison([1, 2, 3], [1, 2, 3], true, { method: 'a', baseline: 'b' });
    expect(c).toMatchObject({ meanDiff: 0, se: 0, t: 0, p: 0.5, pHolm: 0.5, wilcoxonP: 0.5, ci95: [0, 0] });
  });

  it('with a single seed reports the difference but null se, interval, t and p', () => {
    const c = pairedComparison([0.9], [0.7], true, { method: 'a', baseline: 'b' });
    expect(c.nSeeds).toBe(1);
    expectRel(c.meanDiff, 0.2, 1e-12);
    expect(c).toMatchObject({ se: null, ci95: null, t: null, p: null, pHolm: null, wilcoxonP: 0.5 });
  });

  it('throws InvalidArgument naming both lengths when a and b differ in length', () => {
    expectKapriError(
      () => pairedComparison([1, 2, 3], [1, 2], true, { method: 'a', baseline: 'b' }),
      'InvalidArgument',
      'a has 3 seeds but b has 2',
    );
  });

  it('throws InvalidArgument naming the entry when an input is not finite', () => {
    expectKapriError(
      () => pairedComparison([1, 2, Number.NaN], [1, 2, 3], true, { method: 'a', baseline: 'b' }),
      'InvalidArgument',
      'a[2]',
    );
    expectKapriError(
      () => pairedComparison([1, 2, 3], [Infinity, 2, 3], true, { method: 'a', baseline: 'b' }),
      'InvalidArgument',
      'b[0]',
    );
  });

  it('throws InvalidArgument when there are no seeds', () => {
    expectKapriError(
      () => pairedComparison([], [], true, { method: 'a', baseline: 'b' }),
      'InvalidArgument',
      'no seeds',
    );
  });
});

describe('holm', () => {
  it('adjusts [0.01, 0.04, 0.03] to [0.03, 0.06, 0.06]', () => {
    const out = holm([0.01, 0.04, 0.03]);
    [0.03, 0.06, 0.06].forEach((e, i) => expectRel(out[i], e, 1e-12));
  });

  it('passes nulls through without counting them in the family', () => {
    const out = holm([0.01, null, 0.04]);
    expect(out[1]).toBeNull();
    expectRel(out[0], 0.02, 1e-12);
    expectRel(out[2], 0.04, 1e-12);
  });

  it('is monotone in the sorted order and capped at 1', () => {
    expect(holm([0.6, 0.5])).toEqual([1, 1]);
    const ps = [0.2, 0.001, 0.04, 0.039, 0.5];
    const out = holm(ps) as number[];
    const order = ps.map((_, i) => i).sort((i, j) => ps[i]! - ps[j]!);
    for (let k = 1; k < order.length; k++) expect(out[order[k]!]!).toBeGreaterThanOrEqual(out[order[k - 1]!]!);
    out.forEach((p, i) => expect(p).toBeGreaterThanOrEqual(ps[i]!));
  });

  it('returns an empty family unchanged', () => {
    expect(holm([])).toEqual([]);
  });

  it('throws InvalidArgument for a p outside [0, 1]', () => {
    expectKapriError(() => holm([0.1, 1.5]), 'InvalidArgument', 'p[1]');
    expectKapriError(() => holm([Number.NaN]), 'InvalidArgument', 'p[0]');
  });
});

describe('compareAll', () => {
  const results = {
    kap: [0.82, 0.85, 0.8, 0.86, 0.83, 0.84],
    l2sp: [0.8, 0.84, 0.8, 0.83, 0.82, 0.82],
    scratch: [0.7, 0.78, 0.72, 0.8, 0.74, 0.75],
  };

  it('applies Holm within each method across the baselines it is compared with, keeping the order of pairs', () => {
    const cs = compareAll(results, true, [
      ['kap', 'scratch'],
      ['l2sp', 'scratch'],
      ['kap', 'l2sp'],
    ]);
    expect(cs.map((c) => [c.method, c.baseline])).toEqual([
      ['kap', 'scratch'],
      ['l2sp', 'scratch'],
      ['kap', 'l2sp'],
    ]);
    const single = (m: 'kap' | 'l2sp', b: 'scratch' | 'l2sp') =>
      pairedComparison(results[m], results[b], true, { method: m, baseline: b });
    const kapFamily = holm([single('kap', 'scratch').p, single('kap', 'l2sp').p]);
    expect(cs[0]!.pHolm).toBe(kapFamily[0]);
    expect(cs[2]!.pHolm).toBe(kapFamily[1]);
    expect(cs[1]!.pHolm).toBe(single('l2sp', 'scratch').p); // a family of one
    cs.forEach((c) => expect(c.pHolm!).toBeGreaterThanOrEqual(c.p!));
  });

  it('passes the direction through, so lower-is-better comparisons see flipped differences', () => {
    const [c] = compareAll(results, false, [['kap', 'scratch']]);
    expect(c!.meanDiff).toBeLessThan(0);
  });

  it('throws InvalidArgument naming a method missing from the results', () => {
    expectKapriError(() => compareAll(results, true, [['kap', 'fisher']]), 'InvalidArgument', '"fisher"');
  });

  it('throws InvalidArgument for a method compared with itself or a repeated pair', () => {
    expectKapriError(() => compareAll(results, true, [['kap', 'kap']]), 'InvalidArgument', 'compared with itself');
    expectKapriError(
      () =>
        compareAll(results, true, [
          ['kap', 'l2sp'],
          ['kap', 'l2sp'],
        ]),
      'InvalidArgument',
      'appears twice',
    );
  });
});
