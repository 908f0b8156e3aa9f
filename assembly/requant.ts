// Shared requantization steps of the int8 kernels (METHODS.md §3).

/** clamp(rhe(f32(acc)·m) + zp) on 4 lanes, the clamp applied before adding zp so saturation cannot wrap. */
// @ts-ignore: decorator
@inline export function requant4(acc: v128, m: v128, vzp: v128, vlo: v128, vhi: v128): v128 {
  const i = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(f32x4.convert_i32x4_s(acc), m)));
  return i32x4.add(i32x4.min_s(i32x4.max_s(i, vlo), vhi), vzp);
}

/**
 * requant4 with the clamp applied in float and the rounding by the 1.5·2²³ trick: adding it rounds
 * a float of magnitude below 2²² to an integer, half to even, as f32x4.nearest does, and leaves
 * that integer in the low mantissa bits. Equal to requant4 for every accumulator and multiplier
 * (the clamp bounds are integers, so clamping before or after rounding gives the same code), in
 * far fewer instructions than i32x4.trunc_sat_f32x4_s's saturating conversion. `flo` and `fhi`
 * are the float bounds lo − zp and hi − zp.
 */
// @ts-ignore: decorator
@inline export function requant4f(acc: v128, m: v128, vzp: v128, flo: v128, fhi: v128): v128 {
  const t = f32x4.pmax(f32x4.pmin(f32x4.mul(f32x4.convert_i32x4_s(acc), m), fhi), flo);
  const r = f32x4.add(t, f32x4.splat(12582912.0));
  return i32x4.add(i32x4.sub(r, i32x4.splat(0x4b400000)), vzp);
}

/** The scalar form of requant4 (lo and hi already shifted by −zp). */
// @ts-ignore: decorator
@inline export function requant1(acc: i32, m: f32, zp: i32, lo: i32, hi: i32): i32 {
  const v = <i32>nearest<f32>(<f32>acc * m);
  return min(max(v, lo), hi) + zp;
}

/** Narrows 8 i32 lanes (already in int8 range) to 8 int8 codes in the low half. */
// @ts-ignore: decorator
@inline export function narrow8(i0: v128, i1: v128): v128 {
  const h = i16x8.narrow_i32x4_s(i0, i1);
  return i8x16.narrow_i16x8_s(h, h);
}

/** Requantizes 8 accumulators (two vectors of 4 channels) to 8 int8 codes in the low half. */
// @ts-ignore: decorator
@inline export function requant8(a0: v128, a1: v128, m0: v128, m1: v128, vzp: v128, vlo: v128, vhi: v128): v128 {
  return narrow8(requant4(a0, m0, vzp, vlo, vhi), requant4(a1, m1, vzp, vlo, vhi));
}

/** Stores the first `count` (1..8) bytes of v. */
// @ts-ignore: decorator
@inline export function store8(p: usize, v: v128, count: i32): void {
  if (count == 8) {
    v128.store64_lane(p, v, 0);
    return;
  }
  store<i8>(p, i8x16.extract_lane_s(v, 0));
  if (count > 1) store<i8>(p + 1, i8x16.extract_lane_s(v, 1));
  if (count > 2) store<i8>(p + 2, i8x16.extract_lane_s(v, 2));
  if (count > 3) store<i8>(p + 3, i8x16.extract_lane_s(v, 3));
  if (count > 4) store<i8>(p + 4, i8x16.extract_lane_s(v, 4));
  if (count > 5) store<i8>(p + 5, i8x16.extract_lane_s(v, 5));
  if (count > 6) store<i8>(p + 6, i8x16.extract_lane_s(v, 6));
}
