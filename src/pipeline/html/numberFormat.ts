/**
 * How the report prints numbers: one precision per kind of quantity and a unit on everything, so
 * that a column reads at a glance (metrics at 3 decimals, never "0.36715 ± 0.0034219").
 * A missing or non-finite value prints as an en dash, never as "NaN" or "undefined".
 */

const MINUS = '\u2212';
const missing = (v: number | null | undefined): v is null | undefined =>
  v === null || v === undefined || !Number.isFinite(v);
/** `toFixed` with a typographic minus and no "−0.000". */
const fixed = (v: number, digits: number): string => {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s.replace('-', MINUS);
};

/** A metric value (AUC, accuracy, …) at 3 decimals. */
export const fmtMetric = (v: number | null | undefined): string => (missing(v) ? '–' : fixed(v, 3));

/** A signed difference at 3 decimals: "+0.004", "−0.012", "0.000". */
export const fmtDiff = (v: number | null | undefined): string => {
  if (missing(v)) return '–';
  const s = fixed(v, 3);
  return /^[0.]+$/.test(s) || s.startsWith(MINUS) ? s : `+${s}`;
};

/** A 95% interval of differences, "[−0.010, +0.018]"; "–" when there is none (one seed). */
export const fmtInterval = (ci: readonly [number, number] | null | undefined): string =>
  ci ? `[${fmtDiff(ci[0])}, ${fmtDiff(ci[1])}]` : '–';

/** A p-value at 3 decimals, "< 0.001" below that. */
export const fmtP = (p: number | null | undefined): string => (missing(p) ? '–' : p < 0.001 ? '< 0.001' : fixed(p, 3));

/** Bytes in B, kB or MB (powers of 1000), 3 significant digits from kB up: "55.2 kB". */
export const fmtBytes = (b: number | null | undefined): string => {
  if (missing(b)) return '–';
  if (Math.abs(b) < 1000) return `${Math.round(b)} B`;
  if (Math.abs(b) < 1e6) return `${(b / 1e3).toPrecision(3)} kB`;
  return `${(b / 1e6).toPrecision(3)} MB`;
};

/** Milliseconds at 3 significant digits: "0.167 ms", "8.37 ms", "125 ms". */
export const fmtMs = (ms: number | null | undefined): string => {
  if (missing(ms)) return '–';
  return `${Math.abs(ms) >= 1000 ? Math.round(ms) : Number(ms.toPrecision(3))} ms`;
};

/** A hyper-parameter (a strength λ, a γ) as written in the config: shortest exact form. */
export const fmtParam = (v: number | null | undefined): string => (missing(v) ? '–' : String(Number(v.toPrecision(6))));
