/**
 * The requantization contract (docs/methods.md §3), each step rounded to float32 as XNNPACK's fp32 kernels
 * and onnxruntime do: m = f32(f32(s_in·s_w) / s_out), y = clamp(roundHalfEven(f32(f32(acc)·m)) + zp_out).
 */
import { roundHalfEven } from './rounding.js';

const f = Math.fround;

/** The multiplier of one output channel. */
export const requantMultiplier = (sIn: number, sW: number, sOut: number): number => f(f(f(sIn) * f(sW)) / f(sOut));

/** One output code from an exact int32 accumulator, clamped to [lo, hi]. */
export const requantize = (acc: number, m: number, zpOut: number, lo: number, hi: number): number => {
  const v = roundHalfEven(f(f(acc) * m)) + zpOut;
  return v < lo ? lo : Math.min(v, hi);
};
