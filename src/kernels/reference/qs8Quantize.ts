/**
 * JS references of the per-tensor quantize / dequantize kernels, step for step in float32
 * (Math.fround) so that the kernels must agree with them bit for bit.
 */
import { roundHalfEven } from './rounding.js';

/** q = clamp(roundHalfEven(f32(x / s)) + zp, −128, 127); NaN → 0 like the kernel's saturating convert. */
export const refQuantizeF32 = (x: Float32Array, scale: number, zp: number): Int8Array => {
  const s = Math.fround(scale);
  const z = Math.fround(zp);
  const y = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = Math.fround(roundHalfEven(Math.fround(x[i]! / s)) + z);
    y[i] = Number.isNaN(v) ? 0 : Math.min(127, Math.max(-128, v));
  }
  return y;
};

/** x̂ = f32(f32(q − zp) · s). */
export const refDequantizeS8 = (q: Int8Array, scale: number, zp: number): Float32Array => {
  const s = Math.fround(scale);
  const y = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) y[i] = Math.fround(Math.fround(q[i]! - zp) * s);
  return y;
};
