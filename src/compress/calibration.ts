/**
 * Calibration of activation ranges over a calibration set: min/max, a percentile of the values
 * (default 99.99), or the clipping range minimising the quantization MSE.
 */
import { kapriError } from '../core/errors.js';
import { activationQuantFromRange, fakeQuant, type ActivationQuant } from './activationQuant.js';

export type CalibrationMethod =
  | { readonly kind: 'minmax' }
  | { readonly kind: 'percentile'; readonly percentile?: number }
  | { readonly kind: 'mse'; readonly candidates?: number };

const checkValues = (values: Float32Array): void => {
  if (values.length === 0) throw kapriError('InvalidData', 'calibration needs at least one activation value');
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!))
      throw kapriError('InvalidData', `calibration value ${i} is ${values[i]}; activations must be finite`, {
        index: i,
      });
  }
};

const minMax = (v: Float32Array): [number, number] => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
};

/** The value at quantile q ∈ [0, 1] (linear interpolation) of sorted data. */
const quantile = (sorted: Float32Array, q: number): number => {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!;
};

/** Mean squared error of fake-quantizing `values` with q. */
export const quantMse = (values: Float32Array, q: ActivationQuant): number => {
  let s = 0;
  for (const x of values) {
    const d = fakeQuant(x, q) - x;
    s += d * d;
  }
  return s / values.length;
};

/** Calibrates one tensor's activation params from observed values. */
export const calibrate = (values: Float32Array, method: CalibrationMethod): ActivationQuant => {
  checkValues(values);
  const [lo, hi] = minMax(values);
  if (method.kind === 'minmax') return activationQuantFromRange(lo, hi);
  if (method.kind === 'percentile') {
    const p = method.percentile ?? 99.99;
    if (!(p > 50 && p <= 100)) throw kapriError('InvalidConfig', `percentile must be in (50, 100], got ${p}`);
    const sorted = Float32Array.from(values).sort();
    return activationQuantFromRange(quantile(sorted, 1 - p / 100), quantile(sorted, p / 100));
  }
  const n = method.candidates ?? 64;
  let best = activationQuantFromRange(lo, hi);
  let bestErr = quantMse(values, best);
  for (let k = 1; k < n; k++) {
    const f = 1 - k / n;
    const q = activationQuantFromRange(lo * f, hi * f);
    const err = quantMse(values, q);
    if (err < bestErr) {
      bestErr = err;
      best = q;
    }
  }
  return best;
};

/**
 * At most about `maxValues` of the values in `parts` (in order): every k-th value, k the smallest
 * stride that keeps the count under the cap, so that calibration reads a bounded, even sample.
 */
export const strideSample = (parts: readonly Float32Array[], maxValues: number): Float32Array => {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const stride = Math.max(1, Math.ceil(total / maxValues));
  const vals = new Float32Array(Math.ceil(total / stride));
  let i = 0;
  let j = 0;
  for (const p of parts) for (const v of p) if (i++ % stride === 0) vals[j++] = v;
  return vals.subarray(0, j);
};
