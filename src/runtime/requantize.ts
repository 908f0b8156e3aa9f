/**
 * The requantization contract (METHODS.md §3), each step rounded to float32 as XNNPACK's fp32 kernels
 * and onnxruntime do: m = f32(f32(s_in·s_w) / s_out), y = clamp(roundHalfEven(f32(f32(acc)·m)) + zp_out).
 * Fused ReLU / ReLU6 are clamps in the quantized domain.
 */
import { roundHalfEven } from '../kernels/reference/rounding.js';
import type { QActivation, TensorQuant } from './qmodelTypes.js';

const f = Math.fround;

/** The multiplier of one output channel. */
export const requantMultiplier = (sIn: number, sW: number, sOut: number): number => f(f(f(sIn) * f(sW)) / f(sOut));

/** [lo, hi] of the output codes after the fused activation. */
export const activationClamp = (a: QActivation, out: TensorQuant): [number, number] => {
  const lo = a === 'none' ? -128 : Math.max(-128, out.zeroPoint);
  const hi = a === 'relu6' ? Math.min(127, out.zeroPoint + roundHalfEven(6 / out.scale)) : 127;
  return [lo, hi];
};

/** One output code from an exact int32 accumulator. */
export const requantize = (acc: number, m: number, zpOut: number, lo: number, hi: number): number => {
  const v = roundHalfEven(f(f(acc) * m)) + zpOut;
  return v < lo ? lo : v > hi ? hi : v;
};
