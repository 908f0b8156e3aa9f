/**
 * The range a plotted quantity can take, so that no axis runs below zero or past a metric's ceiling,
 * and the padded domain a chart shows inside that range. Ranges are [lo, hi] with null for unbounded.
 */

export type ValidRange = readonly [number | null, number | null];

/** Metrics that are fractions: AUC of PCK, accuracy, F1. Anything else (an error in mm) is only ≥ 0. */
const FRACTIONS = new Set(['auc', 'accuracy', 'macroF1', 'f1', 'pck']);

/** The valid range of a metric by its report name. */
export const metricRange = (metric: string): ValidRange => (FRACTIONS.has(metric) ? [0, 1] : [0, null]);

/** The valid range of a difference of that metric: ±(the metric's span), unbounded if the metric is. */
export const differenceRange = (metric: string): ValidRange => {
  const [lo, hi] = metricRange(metric);
  return lo !== null && hi !== null ? [lo - hi, hi - lo] : [null, null];
};

/** Losses, steps, bytes and milliseconds. */
export const NON_NEGATIVE: ValidRange = [0, null];

/**
 * The extent of `values`, padded by 8% of its span on each side (or a small amount around a single
 * value) and clamped to `valid`: the domain a chart's scale shows. Non-finite values are ignored.
 */
export const paddedDomain = (values: readonly number[], valid: ValidRange): [number, number] => {
  const f = values.filter(Number.isFinite);
  let lo = f.length ? Math.min(...f) : 0;
  let hi = f.length ? Math.max(...f) : 1;
  const span = hi - lo;
  const pad = span > 0 ? span * 0.08 : Math.max(Math.abs(lo) * 0.05, 1e-3);
  lo -= pad;
  hi += pad;
  if (valid[0] !== null) lo = Math.max(lo, valid[0]);
  if (valid[1] !== null) hi = Math.min(hi, valid[1]);
  return [lo, hi];
};
