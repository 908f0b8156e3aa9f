/** JS reference of the requantized add: y = clamp(rhe(f32(f32((a−za)·ma) + f32((b−zb)·mb))) + zy). */
import { roundHalfEven } from './rounding.js';

const f = Math.fround;

/** Quantization of a residual add: input and output scales and zero points, output clamps. */
export interface AddQuant {
  readonly aScale: number;
  readonly aZeroPoint: number;
  readonly bScale: number;
  readonly bZeroPoint: number;
  readonly yScale: number;
  readonly yZeroPoint: number;
  readonly clamp?: readonly [number, number];
}

/** The multipliers f32(sa/sy), f32(sb/sy). */
export const addMultipliers = (q: AddQuant): [number, number] => [
  f(f(q.aScale) / f(q.yScale)),
  f(f(q.bScale) / f(q.yScale)),
];

/** Elementwise requantized a + b. */
export const refQs8Add = (a: Int8Array, b: Int8Array, q: AddQuant): Int8Array => {
  const [ma, mb] = addMultipliers(q);
  const [lo, hi] = q.clamp ?? [-128, 127];
  const y = new Int8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = roundHalfEven(f(f((a[i]! - q.aZeroPoint) * ma) + f((b[i]! - q.bZeroPoint) * mb))) + q.yZeroPoint;
    y[i] = v < lo ? lo : Math.min(v, hi);
  }
  return y;
};
