/**
 * Paired comparisons over seeds (docs/methods.md §6). Every method sees the same seeds, so a method A is
 * compared with a baseline B through the per-seed differences d_s = A_s − B_s (sign flipped when
 * lower is better, so a positive difference always means "A is better"): their mean, standard error,
 * 95% t interval, one-sided paired t p-value, Holm's correction across the baselines A is compared
 * with, and the one-sided Wilcoxon signed-rank p-value as a check.
 *
 * Pure numerics, no dependencies: the Student t CDF goes through the regularized incomplete beta
 * function (continued fraction, modified Lentz), the quantile through a bracketed Newton iteration on
 * the CDF (Hill's normalizing transformation takes over for df ≥ 5e4); both are accurate to about
 * 1e-12 relative.
 *
 * Note for JSON reports: `JSON.stringify` writes ±Infinity (a `t` with zero standard error) as `null`.
 */
import { kapriError } from './errors.js';

// ---------------------------------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------------------------------

/** Lanczos coefficients (g = 7, n = 9): ln Γ to about 1e-15 for x > 0. */
const LANCZOS_G = 7;
const LANCZOS_C: readonly number[] = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
const lnGamma = (x: number): number => {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS_C[0]!;
  for (let i = 1; i < LANCZOS_C.length; i++) s += LANCZOS_C[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
};

const CF_EPS = 1e-16;
const CF_TINY = 1e-300;
const CF_MAX_ITER = 100_000;

/**
 * Continued fraction of the incomplete beta function (Numerical Recipes `betacf`, modified Lentz);
 * converges fast for x < (a + 1) / (a + b + 2).
 */
const betaContinuedFraction = (x: number, a: number, b: number): number => {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < CF_TINY) d = CF_TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CF_MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) return h;
  }
  throw kapriError('NumericalError', `incomplete beta continued fraction did not converge (x=${x}, a=${a}, b=${b})`);
};

/**
 * Stirling remainder δ(x) = ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π] for x ≥ 10 (asymptotic series;
 * the omitted terms are below 1e-17 there).
 */
const stirlingRemainder = (x: number): number => {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 *
            (1 / 1260 +
              r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
};

/**
 * ln B(a, b) without the cancellation of ln Γ(a) + ln Γ(b) − ln Γ(a + b) when an argument is large
 * (the split of R's `lbeta`): large arguments go through Stirling's formula with log1p.
 */
const lnBeta = (a: number, b: number): number => {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingRemainder(q) - stirlingRemainder(p + q);
    return lnGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lnGamma(p) + lnGamma(q) - lnGamma(p + q);
};

/**
 * Regularized incomplete beta I_x(a, b). The caller passes y = 1 − x and the logarithms of both,
 * so that each can be computed without cancellation (x close to 1, large a or b).
 */
const regIncBeta = (x: number, y: number, lnX: number, lnY: number, a: number, b: number): number => {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(a * lnX + b * lnY - lnBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
};

/** Regularized upper incomplete gamma Q(a, x) (series for x < a + 1, continued fraction otherwise). */
const regUpperGamma = (a: number, x: number): number => {
  if (x <= 0) return 1;
  const lnFront = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 1; n <= CF_MAX_ITER; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * CF_EPS) return 1 - sum * Math.exp(lnFront);
    }
    throw kapriError('NumericalError', `incomplete gamma series did not converge (a=${a}, x=${x})`);
  }
  let b = x + 1 - a;
  let c = 1 / CF_TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= CF_MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = b + an / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) return Math.exp(lnFront) * h;
  }
  throw kapriError('NumericalError', `incomplete gamma continued fraction did not converge (a=${a}, x=${x})`);
};

/** P(Z ≥ z) for a standard normal Z, accurate in both tails (erfc through Q(1/2, z²/2)). */
const normalSf = (z: number): number => {
  if (Number.isNaN(z)) return Number.NaN;
  const half = 0.5 * regUpperGamma(0.5, (z * z) / 2);
  return z >= 0 ? half : 1 - half;
};

const checkDf = (df: number, fn: string): void => {
  if (!(df > 0)) throw kapriError('InvalidArgument', `${fn}: degrees of freedom must be > 0, got ${df}`);
};

/**
 * From this many degrees of freedom on, the t tail comes from Hill's normalizing transformation
 * instead of the incomplete beta, whose continued fraction loses about df·1e-16 relative near the
 * centre (measured against 50-digit references: ~1e-13 at df = 1e4, ~3e-10 at df = 1e7; Hill's is
 * ~1e-13 for every df ≥ 1e4).
 */
const HILL_MIN_DF = 5e4;

/**
 * P(T ≥ t) for t ≥ 0 and large df, by G. W. Hill's transformation to a normal deviate (Comm. ACM
 * 13(10), 1970, Algorithm 395): z = (df − ½)·ln(1 + t²/df), corrected to order 1/df².
 */
const hillUpperTail = (t: number, df: number): number => {
  const a = df - 0.5;
  const b = 48 * a * a;
  const z = a * Math.log1p((t * t) / df);
  const y = (((((-0.4 * z - 3.3) * z - 24) * z - 85.5) / (0.8 * z * z + 100 + b) + z + 3) / b + 1) * Math.sqrt(z);
  return normalSf(y);
};

/** P(T ≥ t) for T ~ Student t with `df` degrees of freedom, computed directly in the upper tail. */
const studentTSf = (t: number, df: number): number => {
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  if (df === Infinity) return normalSf(t);
  if (df >= HILL_MIN_DF) {
    const upper = hillUpperTail(Math.abs(t), df);
    return t >= 0 ? upper : 1 - upper;
  }
  const t2 = t * t;
  if (t2 === 0) return 0.5;
  // P(|T| ≥ |t|) = I_x(df/2, 1/2) with x = df/(df+t²); 1 − x, ln x and ln(1 − x) without cancellation.
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const lnX = -Math.log1p(t2 / df);
  const lnY = t2 > df ? -Math.log1p(df / t2) : Math.log(y);
  const twoSided = regIncBeta(x, y, lnX, lnY, df / 2, 0.5);
  return t >= 0 ? 0.5 * twoSided : 1 - 0.5 * twoSided;
};

/** Density of Student t with `df` degrees of freedom. */
const studentTPdf = (t: number, df: number): number => {
  if (df === Infinity) return Math.exp(-0.5 * t * t - LN_SQRT_2PI);
  // Γ((df+1)/2) / (Γ(df/2) √(df π)) = 1 / (√df · B(df/2, 1/2)).
  const lnC = -0.5 * Math.log(df) - lnBeta(df / 2, 0.5);
  return Math.exp(lnC - ((df + 1) / 2) * Math.log1p((t * t) / df));
};

/**
 * Cumulative distribution P(T ≤ t) of Student's t with `df` > 0 degrees of freedom (non-integer df
 * allowed; `df = Infinity` is the standard normal). Accurate to about 1e-12 relative, including far
 * in the lower tail. Throws `InvalidArgument` for df ≤ 0 or NaN inputs.
 *
 * @example
 * studentTCdf(2, 5); // 0.9490302605
 * studentTCdf(0, 3); // 0.5
 */
export const studentTCdf = (t: number, df: number): number => {
  checkDf(df, 'studentTCdf');
  if (Number.isNaN(t)) throw kapriError('InvalidArgument', 'studentTCdf: t is NaN');
  return studentTSf(-t, df);
};

/**
 * Quantile (inverse CDF) of Student's t: the t with P(T ≤ t) = p, for p in [0, 1] and `df` > 0
 * (p = 0 → −Infinity, p = 1 → +Infinity). Solved by Newton's method on the CDF, safeguarded by
 * bisection inside a bracket, to about 1e-12 relative. Throws `InvalidArgument` for p outside [0, 1].
 *
 * @example
 * studentTQuantile(0.975, 4); // 2.776445105
 * studentTQuantile(0.95, 9); // 1.833112933
 */
export const studentTQuantile = (p: number, df: number): number => {
  checkDf(df, 'studentTQuantile');
  if (!(p >= 0 && p <= 1)) throw kapriError('InvalidArgument', `studentTQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Solve P(T ≥ x) = q for x > 0 in the smaller tail, then restore the sign.
  const q = p < 0.5 ? p : 1 - p;
  const sign = p < 0.5 ? -1 : 1;
  let lo = 0;
  let hi = 1;
  while (studentTSf(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return sign * Infinity;
  }
  let x = 0.5 * (lo + hi);
  for (let iter = 0; iter < 500; iter++) {
    const f = studentTSf(x, df) - q; // decreasing in x
    if (f === 0) break;
    if (f > 0) lo = x;
    else hi = x;
    const pdf = studentTPdf(x, df);
    let next = pdf > 0 ? x + f / pdf : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const converged = Math.abs(next - x) <= 1e-15 * Math.abs(next) || hi - lo <= 1e-15 * hi;
    x = next;
    if (converged) break;
  }
  return sign * x;
};

// ---------------------------------------------------------------------------------------------------
// Wilcoxon signed-rank
// ---------------------------------------------------------------------------------------------------

/**
 * Up to this many non-zero differences the Wilcoxon p-value is exact; above, a normal approximation.
 *
 * @example
 * wilcoxonSignedRank(Array.from({ length: WILCOXON_EXACT_MAX_N }, (_, i) => i + 1)).exact; // true
 */
export const WILCOXON_EXACT_MAX_N = 25;

/**
 * Absolute differences within this fraction of the largest |d| of each other count as tied, and
 * those within it of zero count as zero, so floating-point noise in A_s − B_s (0.8 − 0.7 versus
 * 0.5 − 0.4) neither breaks a tie nor invents a non-zero difference.
 *
 * @example
 * // 0.8 − 0.7 = 0.10000000000000009 and 0.5 − 0.4 = 0.09999999999999998 share the rank 1.5:
 * wilcoxonSignedRank([0.8 - 0.7, 0.5 - 0.4]).wPlus; // 3
 */
export const WILCOXON_TIE_RELATIVE_TOLERANCE = 1e-9;

/**
 * The outcome of a one-sided Wilcoxon signed-rank test.
 *
 * @example
 * const { wPlus, nNonZero, p, exact } = wilcoxonSignedRank([0, 1, -2, 3]); // 4, 3, 3/8, true
 */
export interface WilcoxonResult {
  /** Sum of the (average) ranks of the positive differences. */
  readonly wPlus: number;
  /** Number of non-zero differences (zeros are dropped). */
  readonly nNonZero: number;
  /** One-sided p-value P(W+ ≥ observed) under H0; 0.5 when every difference is zero. */
  readonly p: number;
  /** True when p comes from exact enumeration, false for the normal approximation. */
  readonly exact: boolean;
}

/**
 * One-sided Wilcoxon signed-rank test of H1: the differences are shifted above zero.
 *
 * Conventions: zero differences are dropped (Wilcoxon's convention, also R's `wilcox.test`), and
 * n is the number of non-zero differences; tied |d| get average ranks. For n ≤
 * {@link WILCOXON_EXACT_MAX_N} the p-value is exact: the null distribution of W+ is enumerated over
 * all 2ⁿ sign assignments of the actual (average) rank values, so ties are exact too. Above that,
 * the normal approximation with continuity correction 1/2 and tie-corrected variance
 * n(n+1)(2n+1)/24 − Σ(t³ − t)/48. When every difference is zero there is no evidence either way and
 * p = 0.5 (by this module's convention, matching the t-test's). See
 * {@link WILCOXON_TIE_RELATIVE_TOLERANCE} for what counts as a tie or a zero.
 *
 * @example
 * wilcoxonSignedRank([1, 2, 3, 4, 5]).p; // 1/32: only the all-positive sign pattern reaches W+ = 15
 * wilcoxonSignedRank([-1, 2, 3, 4, 5, 6]).p; // 2/64
 */
export const wilcoxonSignedRank = (d: readonly number[]): WilcoxonResult => {
  d.forEach((v, i) => {
    if (!Number.isFinite(v))
      throw kapriError('InvalidArgument', `wilcoxonSignedRank: difference ${i} is not finite (${v})`);
  });
  const maxAbs = d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const tol = WILCOXON_TIE_RELATIVE_TOLERANCE * maxAbs;
  const nz = d.filter((v) => Math.abs(v) > tol).sort((x, y) => Math.abs(x) - Math.abs(y));
  const n = nz.length;
  if (n === 0) return { wPlus: 0, nNonZero: 0, p: 0.5, exact: true };

  // Doubled average ranks (integers): a tie group at sorted positions i..j (1-based) gets i + j.
  const rank2 = new Array<number>(n);
  const tieSizes: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && Math.abs(nz[j + 1]!) - Math.abs(nz[i]!) <= tol) j++;
    for (let k = i; k <= j; k++) rank2[k] = i + 1 + (j + 1);
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  let w2 = 0;
  for (let k = 0; k < n; k++) if (nz[k]! > 0) w2 += rank2[k]!;
  const wPlus = w2 / 2;

  if (n <= WILCOXON_EXACT_MAX_N) {
    // counts[s] = number of sign assignments whose doubled W+ equals s (exact in doubles: ≤ 2^25).
    const total2 = n * (n + 1);
    let counts = new Float64Array(total2 + 1);
    counts[0] = 1;
    for (const r of rank2) {
      const next = new Float64Array(total2 + 1);
      for (let s = 0; s + r <= total2; s++) {
        const c = counts[s]!;
        if (c === 0) continue;
        next[s] = next[s]! + c;
        next[s + r] = next[s + r]! + c;
      }
      counts = next;
    }
    let tail = 0;
    for (let s = w2; s <= total2; s++) tail += counts[s]!;
    return { wPlus, nNonZero: n, p: tail / 2 ** n, exact: true };
  }

  const mean = (n * (n + 1)) / 4;
  const tieTerm = tieSizes.reduce((acc, t) => acc + (t * t * t - t), 0);
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = (wPlus - mean - 0.5) / Math.sqrt(variance);
  return { wPlus, nNonZero: n, p: normalSf(z), exact: false };
};

// ---------------------------------------------------------------------------------------------------
// Paired comparison, Holm
// ---------------------------------------------------------------------------------------------------

/**
 * A paired comparison of `method` against `baseline` over seeds; positive differences favour
 * `method`. This is the `comparisons` entry of `report.json` (docs/contracts.md), plus `perSeed`.
 *
 * @example
 * const c: Comparison = pairedComparison([0.9, 0.8, 0.85], [0.8, 0.78, 0.8], true, { method: 'kap', baseline: 'scratch' });
 * const beats = c.pHolm !== null && c.pHolm < 0.05 && c.nSeeds >= 5; // docs/methods.md §6
 */
export interface Comparison {
  readonly method: string;
  readonly baseline: string;
  readonly nSeeds: number;
  /** Mean of the per-seed differences (oriented so that > 0 means `method` is better). */
  readonly meanDiff: number;
  /** Standard error sd(d)/√n with the sample sd (n − 1); null when n < 2. */
  readonly se: number | null;
  /** 95% interval meanDiff ± t_{0.975, n−1}·se; null when n < 2, [meanDiff, meanDiff] when se = 0. */
  readonly ci95: readonly [number, number] | null;
  /** meanDiff / se; ±Infinity when se = 0 and meanDiff ≠ 0, 0 when every difference is 0; null when n < 2. */
  readonly t: number | null;
  /** One-sided paired t p-value for H1: mean difference > 0; null when n < 2. */
  readonly p: number | null;
  /** Holm-adjusted p within the comparison's family (equal to p until {@link holm} is applied). */
  readonly pHolm: number | null;
  /** One-sided Wilcoxon signed-rank p-value (see {@link wilcoxonSignedRank}); defined for n ≥ 1. */
  readonly wilcoxonP: number;
  /** The per-seed differences, oriented like meanDiff. */
  readonly perSeed: readonly number[];
}

const checkSeries = (xs: readonly number[], name: string, fn: string): void => {
  xs.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw kapriError('InvalidArgument', `${fn}: ${name}[${i}] must be a finite number, got ${String(v)}`, {
        name,
        index: i,
      });
    }
  });
};

/**
 * Compares `a` (the method) with `b` (the baseline), seed by seed: d_s = a_s − b_s when
 * `higherIsBetter`, b_s − a_s otherwise, so a positive difference always means "a is better".
 *
 * Edge cases, all defined: n = 1 → se, ci95, t, p and pHolm are null (wilcoxonP is still defined);
 * every difference equal and non-zero (se = 0) → t = ±Infinity, p = 0 (positive) or 1 (negative),
 * ci95 = [meanDiff, meanDiff]; every difference zero → t = 0, p = 0.5, ci95 = [0, 0]. Throws
 * `InvalidArgument` when a and b differ in length, are empty, or hold a non-finite value.
 *
 * @example
 * // R: t.test(extra[group == 2], extra[group == 1], paired = TRUE, alternative = "greater") on `sleep`
 * const c = pairedComparison(group2, group1, true, { method: 'drug2', baseline: 'drug1' });
 * c.meanDiff; // 1.58
 * c.t; // 4.062128
 * c.p; // 0.001416
 */
export const pairedComparison = (
  a: readonly number[],
  b: readonly number[],
  higherIsBetter: boolean,
  names: { readonly method: string; readonly baseline: string },
): Comparison => {
  const fn = `pairedComparison(${names.method} vs ${names.baseline})`;
  if (a.length !== b.length) {
    throw kapriError(
      'InvalidArgument',
      `${fn}: a has ${a.length} seeds but b has ${b.length}; paired results need the same seeds`,
      {
        aLength: a.length,
        bLength: b.length,
      },
    );
  }
  if (a.length === 0) throw kapriError('InvalidArgument', `${fn}: no seeds; need at least one paired result`);
  checkSeries(a, 'a', fn);
  checkSeries(b, 'b', fn);

  const n = a.length;
  const perSeed = a.map((x, i) => (higherIsBetter ? x - b[i]! : b[i]! - x));
  const meanDiff = perSeed.reduce((s, v) => s + v, 0) / n;
  const wilcoxonP = wilcoxonSignedRank(perSeed).p;
  const base = { method: names.method, baseline: names.baseline, nSeeds: n, meanDiff, wilcoxonP, perSeed };

  if (n < 2) return { ...base, se: null, ci95: null, t: null, p: null, pHolm: null };

  const first = perSeed[0]!;
  if (perSeed.every((v) => v === first)) {
    // se = 0 exactly; the mean is `first` (avoid the rounding of sum / n).
    const t = first > 0 ? Infinity : first < 0 ? -Infinity : 0;
    const p = first > 0 ? 0 : first < 0 ? 1 : 0.5;
    return { ...base, meanDiff: first, se: 0, ci95: [first, first], t, p, pHolm: p };
  }

  const ss = perSeed.reduce((s, v) => s + (v - meanDiff) ** 2, 0);
  const se = Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
  const df = n - 1;
  const t = meanDiff / se;
  const p = studentTSf(t, df);
  const half = studentTQuantile(0.975, df) * se;
  return { ...base, se, ci95: [meanDiff - half, meanDiff + half], t, p, pHolm: p };
};

/**
 * Holm–Bonferroni step-down adjustment of one family of p-values: sorted ascending, the i-th
 * smallest (1-based, of m) becomes max over j ≤ i of (m − j + 1)·p_(j), capped at 1. Nulls pass
 * through and do not count towards m. The output is in the input's order. Throws `InvalidArgument`
 * for a p outside [0, 1] or NaN.
 *
 * @example
 * holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * holm([0.02, null]); // [0.02, null]
 */
export const holm = (ps: readonly (number | null)[]): (number | null)[] => {
  ps.forEach((p, i) => {
    if (p !== null && !(p >= 0 && p <= 1))
      throw kapriError('InvalidArgument', `holm: p[${i}] must be in [0, 1] or null, got ${p}`);
  });
  const idx = ps.flatMap((p, i) => (p === null ? [] : [i])).sort((i, j) => ps[i]! - ps[j]! || i - j);
  const m = idx.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  idx.forEach((i, k) => {
    running = Math.max(running, Math.min(1, (m - k) * ps[i]!));
    out[i] = running;
  });
  return out;
};

/**
 * Runs {@link pairedComparison} for each `[method, baseline]` pair over `results` (per-seed values
 * keyed by method name, all on the same seeds) and applies {@link holm} within each family, a
 * family being all the comparisons with the same `method` (docs/methods.md §6: Holm across the baselines
 * a method is compared with). Comparisons come back in the order of `pairs`. Throws
 * `InvalidArgument` for a name missing from `results`, a method paired with itself, or a repeated pair.
 *
 * @example
 * const cs = compareAll({ kap: [...], scratch: [...], l2sp: [...] }, true, [
 *   ['kap', 'scratch'],
 *   ['kap', 'l2sp'],
 * ]);
 * cs[0].pHolm; // Holm over kap's two comparisons
 */
export const compareAll = (
  results: Readonly<Record<string, readonly number[]>>,
  higherIsBetter: boolean,
  pairs: readonly (readonly [string, string])[],
): Comparison[] => {
  const seen = new Set<string>();
  const lookup = (name: string): readonly number[] => {
    const r = Object.hasOwn(results, name) ? results[name] : undefined;
    if (r === undefined) {
      const known = Object.keys(results).join(', ') || '(none)';
      throw kapriError('InvalidArgument', `compareAll: no results for "${name}"; known methods: ${known}`, { name });
    }
    return r;
  };
  const raw = pairs.map(([method, baseline]) => {
    if (method === baseline)
      throw kapriError('InvalidArgument', `compareAll: "${method}" is compared with itself`, { method });
    const key = JSON.stringify([method, baseline]);
    if (seen.has(key))
      throw kapriError('InvalidArgument', `compareAll: the pair ("${method}", "${baseline}") appears twice`, {
        method,
        baseline,
      });
    seen.add(key);
    return pairedComparison(lookup(method), lookup(baseline), higherIsBetter, { method, baseline });
  });
  const out = raw.slice();
  for (const method of new Set(raw.map((c) => c.method))) {
    const members = raw.flatMap((c, i) => (c.method === method ? [i] : []));
    const adjusted = holm(members.map((i) => raw[i]!.p));
    members.forEach((i, k) => {
      out[i] = { ...raw[i]!, pHolm: adjusted[k] ?? null };
    });
  }
  return out;
};
