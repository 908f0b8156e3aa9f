// Per-tensor quantize / dequantize of the int8 contract (METHODS.md §3):
//   q = clamp(roundHalfEven(f32(x / s)) + zp, -128, 127),  x̂ = f32(f32(q - zp) · s).
// NaN quantizes to 0 (f32→i32 saturating conversion), which the JS reference mirrors.

// @ts-ignore: decorator
@inline function quantize4(p: usize, vs: v128, vz: v128): v128 {
  return i32x4.trunc_sat_f32x4_s(f32x4.add(f32x4.nearest(f32x4.div(v128.load(p), vs)), vz));
}

export function qs8_quantize_f32(x: usize, y: usize, n: i32, scale: f32, zp: i32): void {
  const vs = f32x4.splat(scale);
  const vz = f32x4.splat(<f32>zp);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const a = quantize4(p, vs, vz);
    const b = quantize4(p + 16, vs, vz);
    const c = quantize4(p + 32, vs, vz);
    const d = quantize4(p + 48, vs, vz);
    // Saturating narrows perform the clamp to [-128, 127].
    v128.store(y + <usize>i, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d)));
  }
  for (; i < n; i++) {
    const v = nearest<f32>(load<f32>(x + (<usize>i << 2)) / scale) + <f32>zp;
    let q: i32 = 0;
    if (v == v) q = <i32>min<f32>(max<f32>(v, -128.0), 127.0);
    store<i8>(y + <usize>i, <i8>q);
  }
}

// @ts-ignore: decorator
@inline function dequantize4(w: v128, vz: v128, vs: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(w, vz)), vs);
}

export function qs8_dequantize_f32(q: usize, y: usize, n: i32, scale: f32, zp: i32): void {
  const vs = f32x4.splat(scale);
  const vz = i32x4.splat(zp);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const b = v128.load(q + <usize>i);
    const lo = i16x8.extend_low_i8x16_s(b);
    const hi = i16x8.extend_high_i8x16_s(b);
    const p = y + (<usize>i << 2);
    v128.store(p, dequantize4(i32x4.extend_low_i16x8_s(lo), vz, vs));
    v128.store(p + 16, dequantize4(i32x4.extend_high_i16x8_s(lo), vz, vs));
    v128.store(p + 32, dequantize4(i32x4.extend_low_i16x8_s(hi), vz, vs));
    v128.store(p + 48, dequantize4(i32x4.extend_high_i16x8_s(hi), vz, vs));
  }
  for (; i < n; i++) {
    store<f32>(y + (<usize>i << 2), <f32>(<i32>load<i8>(q + <usize>i) - zp) * scale);
  }
}
