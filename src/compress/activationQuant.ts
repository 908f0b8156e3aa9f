/**
 * Activation quantization parameters (docs/methods.md §3, TFLite's scheme): int8 in [−128, 127], per
 * tensor, scale = (hi − lo)/255 and a zero point that makes 0.0 exactly representable.
 */
import { kapriError } from '../core/errors.js';

export interface ActivationQuant {
  readonly scale: number;
  readonly zeroPoint: number;
}

/** Params for the range [lo, hi] (widened to include 0; a degenerate range gets scale 1e-8-safe). */
export const activationQuantFromRange = (lo: number, hi: number): ActivationQuant => {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi)
    throw kapriError('InvalidArgument', `activation range must be finite with lo ≤ hi, got [${lo}, ${hi}]`);
  const a = Math.min(lo, 0);
  const b = Math.max(hi, 0);
  const scale = Math.fround(b - a > 0 ? (b - a) / 255 : 1);
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - a / scale)));
  return { scale, zeroPoint };
};

/** Fake-quantizes one value with the kernels' rounding (half to even), for calibration search. */
export const fakeQuant = (x: number, q: ActivationQuant): number => {
  const v = x / q.scale;
  let r = Math.round(v);
  if (r - v === 0.5 && r % 2 !== 0) r -= 1;
  const c = Math.max(-128, Math.min(127, r + q.zeroPoint));
  return (c - q.zeroPoint) * q.scale;
};
