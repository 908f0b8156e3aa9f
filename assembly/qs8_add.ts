// Requantized elementwise add for residuals (METHODS.md §3):
//   y = clamp(rhe(f32(f32((a − za)·ma) + f32((b − zb)·mb))) + zy), ma = f32(sa/sy), mb = f32(sb/sy).

// @ts-ignore: decorator
@inline function add4(a: v128, b: v128, vza: v128, vma: v128, vzb: v128, vmb: v128, vzy: v128, vlo: v128, vhi: v128): v128 {
  const fa = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(a, vza)), vma);
  const fb = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(b, vzb)), vmb);
  const i = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.add(fa, fb)));
  return i32x4.add(i32x4.min_s(i32x4.max_s(i, vlo), vhi), vzy);
}

/** Elements [start, end). lo/hi are the output code clamps (the fused activation). */
export function qs8_add(
  a: usize, b: usize, y: usize, za: i32, ma: f32, zb: i32, mb: f32, zy: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  const vza = i32x4.splat(za), vzb = i32x4.splat(zb), vzy = i32x4.splat(zy);
  const vma = f32x4.splat(ma), vmb = f32x4.splat(mb);
  const vlo = i32x4.splat(lo - zy), vhi = i32x4.splat(hi - zy);
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const va = v128.load8x8_s(a + <usize>i);
    const vb = v128.load8x8_s(b + <usize>i);
    const q0 = add4(i32x4.extend_low_i16x8_s(va), i32x4.extend_low_i16x8_s(vb), vza, vma, vzb, vmb, vzy, vlo, vhi);
    const q1 = add4(i32x4.extend_high_i16x8_s(va), i32x4.extend_high_i16x8_s(vb), vza, vma, vzb, vmb, vzy, vlo, vhi);
    const h = i16x8.narrow_i32x4_s(q0, q1);
    v128.store64_lane(y + <usize>i, i8x16.narrow_i16x8_s(h, h), 0);
  }
  for (; i < end; i++) {
    const fa = <f32>(<i32>load<i8>(a + <usize>i) - za) * ma;
    const fb = <f32>(<i32>load<i8>(b + <usize>i) - zb) * mb;
    const v = <i32>nearest<f32>(fa + fb);
    store<i8>(y + <usize>i, <i8>(min(max(v, lo - zy), hi - zy) + zy));
  }
}
