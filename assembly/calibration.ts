// Calibration and per-channel quantization kernels (METHODS.md §3): min/max, histograms, per-channel
// quantize/dequantize. Pointers are byte offsets into the arena; the TypeScript wrappers in
// src/kernels/calibration.ts validate every argument before these run. Only baseline SIMD is used,
// so the three builds (simd, relaxed, threads) compute identical bits, and the JS references in
// src/kernels/reference/calibration.ts mirror every float32 step.

// ---------------------------------------------------------------------------------------------
// min / max
// NaN is ignored (masked to ±Inf before f32x4.min/max, which would otherwise propagate it).
// f32.min / f32.max order −0 below +0 and are exact, so the result does not depend on the order
// of the reduction. With n = 0 or all-NaN input the result is (+Inf, −Inf).

// @ts-ignore: decorator
@inline function minOf(acc: v128, v: v128, pinf: v128): v128 {
  return f32x4.min(acc, v128.bitselect(v, pinf, f32x4.eq(v, v)));
}

// @ts-ignore: decorator
@inline function maxOf(acc: v128, v: v128, ninf: v128): v128 {
  return f32x4.max(acc, v128.bitselect(v, ninf, f32x4.eq(v, v)));
}

/** out[0] = min, out[1] = max of the n floats at x (f32), NaN ignored; (+Inf, −Inf) when none. */
export function f32_minmax(x: usize, n: i32, out: usize): void {
  const pinf = f32x4.splat(<f32>Infinity);
  const ninf = f32x4.splat(<f32>-Infinity);
  let mn0 = pinf, mn1 = pinf, mn2 = pinf, mn3 = pinf;
  let mx0 = ninf, mx1 = ninf, mx2 = ninf, mx3 = ninf;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    const c = v128.load(p, 32);
    const d = v128.load(p, 48);
    mn0 = minOf(mn0, a, pinf);
    mn1 = minOf(mn1, b, pinf);
    mn2 = minOf(mn2, c, pinf);
    mn3 = minOf(mn3, d, pinf);
    mx0 = maxOf(mx0, a, ninf);
    mx1 = maxOf(mx1, b, ninf);
    mx2 = maxOf(mx2, c, ninf);
    mx3 = maxOf(mx3, d, ninf);
  }
  for (; i + 4 <= n; i += 4) {
    const a = v128.load(x + (<usize>i << 2));
    mn0 = minOf(mn0, a, pinf);
    mx0 = maxOf(mx0, a, ninf);
  }
  const mn = f32x4.min(f32x4.min(mn0, mn1), f32x4.min(mn2, mn3));
  const mx = f32x4.max(f32x4.max(mx0, mx1), f32x4.max(mx2, mx3));
  let lo = min<f32>(min<f32>(f32x4.extract_lane(mn, 0), f32x4.extract_lane(mn, 1)), min<f32>(f32x4.extract_lane(mn, 2), f32x4.extract_lane(mn, 3)));
  let hi = max<f32>(max<f32>(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)), max<f32>(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)));
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v == v) {
      lo = min<f32>(lo, v);
      hi = max<f32>(hi, v);
    }
  }
  store<f32>(out, lo);
  store<f32>(out, hi, 4);
}

// ---------------------------------------------------------------------------------------------
// histogram
// bin = floor(f32(f32(x − lo) · inv)) with inv = f32(f32(bins) / f32(hi − lo)), every step in f32.
// Bins below 0 (x < lo, −Inf) are clamped into bin 0 and bins ≥ bins (x ≥ hi, +Inf, or a value
// just below hi that rounds up) into bin bins−1. NaN is skipped. counts (u32[bins]) is accumulated
// into, not cleared, so that a calibration pass can stream batches. The wrapper guarantees
// bins in [1, 2^24], lo < hi and a finite, positive inv.

// @ts-ignore: decorator
@inline function bump(counts: usize, b: i32, counted: i32): void {
  const p = counts + (<usize>b << 2);
  // counted is −1 (all bits set) for a non-NaN lane and 0 for NaN: subtracting it adds 1 or 0.
  store<u32>(p, load<u32>(p) - <u32>counted);
}

// @ts-ignore: decorator
@inline function binsOf(v: v128, vlo: v128, vinv: v128, vlast: v128): v128 {
  const t = f32x4.floor(f32x4.mul(f32x4.sub(v, vlo), vinv));
  return i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(t), i32x4.splat(0)), vlast);
}

/** counts[bin(x[i])] += 1 for the n floats at x over [lo, hi) (see above). */
export function f32_histogram(x: usize, n: i32, lo: f32, hi: f32, bins: i32, counts: usize): void {
  if (bins <= 0) return;
  const inv: f32 = <f32>bins / (hi - lo);
  const vlo = f32x4.splat(lo);
  const vinv = f32x4.splat(inv);
  const vlast = i32x4.splat(bins - 1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const b = binsOf(v, vlo, vinv, vlast);
    const m = f32x4.eq(v, v);
    bump(counts, i32x4.extract_lane(b, 0), i32x4.extract_lane(m, 0));
    bump(counts, i32x4.extract_lane(b, 1), i32x4.extract_lane(m, 1));
    bump(counts, i32x4.extract_lane(b, 2), i32x4.extract_lane(m, 2));
    bump(counts, i32x4.extract_lane(b, 3), i32x4.extract_lane(m, 3));
  }
  for (; i < n; i++) {
    const s = load<f32>(x + (<usize>i << 2));
    if (s != s) continue;
    // The same vector ops on a splat, so the tail rounds and saturates exactly like the body.
    const b = binsOf(f32x4.splat(s), vlo, vinv, vlast);
    bump(counts, i32x4.extract_lane(b, 0), -1);
  }
}

// ---------------------------------------------------------------------------------------------
// per-channel quantize / dequantize
// x is [rows × channels], channels innermost (NHWC-like); scales is f32[channels], zps i32[channels].
// Activations: q = clamp(roundHalfEven(f32(x / s[c])) + zp[c], −128, 127), NaN → 0, exactly like the
// per-tensor qs8_quantize_f32. Weights (symmetric, zero point 0): q = clamp(roundHalfEven(f32(w / s[c])),
// −127, 127), NaN → 0. Dequantize: x̂ = f32(f32(q − zp[c]) · s[c]).

// @ts-ignore: decorator
@inline function quantize4(p: usize, s: usize, z: usize): v128 {
  const v = f32x4.nearest(f32x4.div(v128.load(p), v128.load(s)));
  return i32x4.trunc_sat_f32x4_s(f32x4.add(v, f32x4.convert_i32x4_s(v128.load(z))));
}

// @ts-ignore: decorator
@inline function quantizeSym4(p: usize, s: usize): v128 {
  return i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v128.load(p), v128.load(s))));
}

// @ts-ignore: decorator
@inline function narrow16(a: v128, b: v128, c: v128, d: v128): v128 {
  // Saturating narrows perform the clamp to [−128, 127].
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

// @ts-ignore: decorator
@inline function quantize1(x: f32, s: f32, zp: i32, lo: f32): i8 {
  const v = nearest<f32>(x / s) + <f32>zp;
  let q: i32 = 0;
  if (v == v) q = <i32>min<f32>(max<f32>(v, lo), 127.0);
  return <i8>q;
}

/** Per-channel activation quantization of x[rows × channels] f32 into y (i8). */
export function qs8_quantize_f32_per_channel(x: usize, y: usize, rows: i32, channels: i32, scales: usize, zps: usize): void {
  const ch = <usize>channels;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * ch) << 2);
    const yr = y + <usize>r * ch;
    let c = 0;
    for (; c + 16 <= channels; c += 16) {
      const o = <usize>c << 2;
      const p = xr + o;
      const s = scales + o;
      const z = zps + o;
      const a = quantize4(p, s, z);
      const b = quantize4(p + 16, s + 16, z + 16);
      const cc = quantize4(p + 32, s + 32, z + 32);
      const d = quantize4(p + 48, s + 48, z + 48);
      v128.store(yr + <usize>c, narrow16(a, b, cc, d));
    }
    for (; c + 4 <= channels; c += 4) {
      const o = <usize>c << 2;
      const a = quantize4(xr + o, scales + o, zps + o);
      store<i32>(yr + <usize>c, i32x4.extract_lane(narrow16(a, a, a, a), 0));
    }
    for (; c < channels; c++) {
      const o = <usize>c << 2;
      store<i8>(yr + <usize>c, quantize1(load<f32>(xr + o), load<f32>(scales + o), load<i32>(zps + o), -128.0));
    }
  }
}

/** Symmetric per-output-channel weight quantization of w[rows × channels] f32 into q (i8 in [−127, 127]). */
export function qs8_quantize_weights_per_channel(w: usize, q: usize, rows: i32, channels: i32, scales: usize): void {
  const ch = <usize>channels;
  const floor = i8x16.splat(-127);
  for (let r = 0; r < rows; r++) {
    const wr = w + ((<usize>r * ch) << 2);
    const qr = q + <usize>r * ch;
    let c = 0;
    for (; c + 16 <= channels; c += 16) {
      const o = <usize>c << 2;
      const p = wr + o;
      const s = scales + o;
      const a = quantizeSym4(p, s);
      const b = quantizeSym4(p + 16, s + 16);
      const cc = quantizeSym4(p + 32, s + 32);
      const d = quantizeSym4(p + 48, s + 48);
      v128.store(qr + <usize>c, i8x16.max_s(narrow16(a, b, cc, d), floor));
    }
    for (; c + 4 <= channels; c += 4) {
      const o = <usize>c << 2;
      const a = quantizeSym4(wr + o, scales + o);
      store<i32>(qr + <usize>c, i32x4.extract_lane(i8x16.max_s(narrow16(a, a, a, a), floor), 0));
    }
    for (; c < channels; c++) {
      const o = <usize>c << 2;
      store<i8>(qr + <usize>c, quantize1(load<f32>(wr + o), load<f32>(scales + o), 0, -127.0));
    }
  }
}

// @ts-ignore: decorator
@inline function dequantize4(w: v128, z: usize, s: usize): v128 {
  return f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(w, v128.load(z))), v128.load(s));
}

/** Per-channel dequantization of q[rows × channels] i8 into y (f32). */
export function qs8_dequantize_s8_per_channel(q: usize, y: usize, rows: i32, channels: i32, scales: usize, zps: usize): void {
  const ch = <usize>channels;
  for (let r = 0; r < rows; r++) {
    const qr = q + <usize>r * ch;
    const yr = y + ((<usize>r * ch) << 2);
    let c = 0;
    for (; c + 16 <= channels; c += 16) {
      const o = <usize>c << 2;
      const b = v128.load(qr + <usize>c);
      const lo = i16x8.extend_low_i8x16_s(b);
      const hi = i16x8.extend_high_i8x16_s(b);
      const p = yr + o;
      const s = scales + o;
      const z = zps + o;
      v128.store(p, dequantize4(i32x4.extend_low_i16x8_s(lo), z, s));
      v128.store(p + 16, dequantize4(i32x4.extend_high_i16x8_s(lo), z + 16, s + 16));
      v128.store(p + 32, dequantize4(i32x4.extend_low_i16x8_s(hi), z + 32, s + 32));
      v128.store(p + 48, dequantize4(i32x4.extend_high_i16x8_s(hi), z + 48, s + 48));
    }
    for (; c + 4 <= channels; c += 4) {
      const o = <usize>c << 2;
      const b = i32x4.splat(load<i32>(qr + <usize>c));
      const w = i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(b));
      v128.store(yr + o, dequantize4(w, zps + o, scales + o));
    }
    for (; c < channels; c++) {
      const o = <usize>c << 2;
      store<f32>(yr + o, <f32>(<i32>load<i8>(qr + <usize>c) - load<i32>(zps + o)) * load<f32>(scales + o));
    }
  }
}
