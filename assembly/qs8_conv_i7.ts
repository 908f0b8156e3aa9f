// int8 convolution with 7-bit weights on the relaxed-SIMD i8·i7 dot (METHODS.md §3, the "int7" form).
//
// i32x4.relaxed_dot_i8x16_i7x16_add_s does 16 multiply-adds per instruction (4 groups of 4 bytes,
// added into 4 int32 lanes) against 8 for i32x4.dot_i16x8_s, but it is deterministic only while its
// second operand lies in 0..127. Weights quantized to [−64, 63] are stored offset as w7 = w + 64
// (0..127) and the input stays in its raw int8 codes, so
//   Σ (x − zx)·w = Σ x·w7 − 64·Σ x − zx·Σ w,
// where Σ x runs over the output pixel's window (one number per pixel, shared by every output
// channel) and zx·Σ w is folded into the packed bias at load. Every term is exact int32 arithmetic
// (wrapping, and the true sum fits int32), so the accumulator is the same integer as the baseline
// kernel's and requantization gives the same codes, bit for bit.
//
// Per call, three steps:
//  1. qs8_pad_i8 writes the input once as raw int8 codes into a padded image (the input zero point
//     in the spatial padding, so padding contributes (zx − zx)·w = 0; 0 in the channels padded up to
//     a multiple of 4), and the sum of each padded pixel's channels as int32.
//  2. qs8_conv2d_i7 computes, per output row segment, 64·(window sum) of each output pixel from the
//     pixel sums (kh·kw adds per pixel, once for all output channels), then multiplies the image
//     with weights packed in panels of 8 output channels: per panel, int32 bias'[8], f32
//     multiplier[8], then for every (ky, kx, channel quad) 32 bytes
//     [w7(k0..3, o0), w7(k0..3, o1), w7(k0..3, o2), w7(k0..3, o3)] [the same for o4..o7].
//     A splat of 4 input bytes times one 16-byte weight vector is one dot giving 4 output channels;
//     4 output pixels × 8 channels of accumulators stay in registers.
// In the simd and threads builds (no relaxed SIMD) the dot is computed with baseline instructions,
// exactly: the form then runs correctly everywhere, only faster where the relaxed dot is trusted.

import { requant8, store8 } from './requant';

const PANEL_HEAD: usize = 64; // bias' i32[8] + multiplier f32[8]

/** c + Σ of a·b over each group of 4 bytes, b in 0..127. */
// @ts-ignore: decorator
@inline export function dot4add(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b, c);
  const lo = i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(a), i16x8.extend_low_i8x16_s(b));
  const hi = i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(a), i16x8.extend_high_i8x16_s(b));
  const even = i8x16.shuffle(lo, hi, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  const odd = i8x16.shuffle(lo, hi, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
  return i32x4.add(c, i32x4.add(even, odd));
}

/** Sum of n int8 values at p. */
// @ts-ignore: decorator
@inline function sumBytes(p: usize, n: i32): i32 {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(v128.load(p + <usize>i))));
  }
  let s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; i < n; i++) s += <i32>load<i8>(p + <usize>i);
  return s;
}

/**
 * x int8 [n, h, w, c] → xp int8 [n, hp, wp, cq] (zx in the spatial padding, 0 in channels c..cq)
 * and s i32 [n, hp, wp] = each padded pixel's channel sum; padded rows [start, end) of n·hp.
 */
export function qs8_pad_i8(
  x: usize, xp: usize, s: usize, h: i32, w: i32, c: i32, cq: i32, zp: i32,
  pt: i32, pb: i32, pl: i32, pr: i32, start: i32, end: i32,
): void {
  const hp = h + pt + pb;
  const wp = w + pl + pr;
  const padSum = zp * c;
  for (let r = start; r < end; r++) {
    const b = r / hp;
    const iy = r - b * hp - pt;
    const dst = xp + <usize>r * <usize>(wp * cq);
    const srow = s + (<usize>(r * wp) << 2);
    for (let px = 0; px < wp; px++) {
      const ix = px - pl;
      const d = dst + <usize>(px * cq);
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
        memory.fill(d, <u8>zp, <usize>c);
        if (cq > c) memory.fill(d + <usize>c, 0, <usize>(cq - c));
        store<i32>(srow + (<usize>px << 2), padSum);
      } else {
        const src = x + <usize>(((b * h + iy) * w + ix) * c);
        memory.copy(d, src, <usize>c);
        if (cq > c) memory.fill(d + <usize>c, 0, <usize>(cq - c));
        store<i32>(srow + (<usize>px << 2), sumBytes(src, c));
      }
    }
  }
}

// x0: first input byte of the tile's first pixel; xs: bytes between the tile's pixels; ws: the
// tile's first 64·(window sum); rowStep / colStep: bytes between kernel rows / columns; inner:
// channel quads per inner run; cols: inner runs per kernel row.

// @ts-ignore: decorator
@inline function tile4(
  x0: usize, xs: usize, ws: usize, panel: usize, kh: i32, cols: i32, inner: i32, rowStep: usize, colStep: usize,
  y0: usize, ys: usize, count: i32, vzp: v128, vlo: v128, vhi: v128,
): void {
  const b0 = v128.load(panel);
  const b1 = v128.load(panel + 16);
  let v = v128.load32_splat(ws);
  let a00 = i32x4.sub(b0, v), a01 = i32x4.sub(b1, v);
  v = v128.load32_splat(ws + 4);
  let a10 = i32x4.sub(b0, v), a11 = i32x4.sub(b1, v);
  v = v128.load32_splat(ws + 8);
  let a20 = i32x4.sub(b0, v), a21 = i32x4.sub(b1, v);
  v = v128.load32_splat(ws + 12);
  let a30 = i32x4.sub(b0, v), a31 = i32x4.sub(b1, v);
  let wp = panel + PANEL_HEAD;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < cols; kx++) {
      let p = x0 + <usize>ky * rowStep + <usize>kx * colStep;
      for (let j = 0; j < inner; j++) {
        const w0 = v128.load(wp);
        const w1 = v128.load(wp + 16);
        wp += 32;
        v = v128.load32_splat(p);
        a00 = dot4add(v, w0, a00);
        a01 = dot4add(v, w1, a01);
        v = v128.load32_splat(p + xs);
        a10 = dot4add(v, w0, a10);
        a11 = dot4add(v, w1, a11);
        v = v128.load32_splat(p + 2 * xs);
        a20 = dot4add(v, w0, a20);
        a21 = dot4add(v, w1, a21);
        v = v128.load32_splat(p + 3 * xs);
        a30 = dot4add(v, w0, a30);
        a31 = dot4add(v, w1, a31);
        p += 4;
      }
    }
  }
  const m0 = v128.load(panel + 32);
  const m1 = v128.load(panel + 48);
  store8(y0, requant8(a00, a01, m0, m1, vzp, vlo, vhi), count);
  store8(y0 + ys, requant8(a10, a11, m0, m1, vzp, vlo, vhi), count);
  store8(y0 + 2 * ys, requant8(a20, a21, m0, m1, vzp, vlo, vhi), count);
  store8(y0 + 3 * ys, requant8(a30, a31, m0, m1, vzp, vlo, vhi), count);
}

// @ts-ignore: decorator
@inline function tile1(
  x0: usize, ws: usize, panel: usize, kh: i32, cols: i32, inner: i32, rowStep: usize, colStep: usize,
  y0: usize, count: i32, vzp: v128, vlo: v128, vhi: v128,
): void {
  const v0 = v128.load32_splat(ws);
  let a0 = i32x4.sub(v128.load(panel), v0);
  let a1 = i32x4.sub(v128.load(panel + 16), v0);
  let wp = panel + PANEL_HEAD;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < cols; kx++) {
      let p = x0 + <usize>ky * rowStep + <usize>kx * colStep;
      for (let j = 0; j < inner; j++) {
        const v = v128.load32_splat(p);
        a0 = dot4add(v, v128.load(wp), a0);
        a1 = dot4add(v, v128.load(wp + 16), a1);
        wp += 32;
        p += 4;
      }
    }
  }
  store8(y0, requant8(a0, a1, v128.load(panel + 32), v128.load(panel + 48), vzp, vlo, vhi), count);
}

/**
 * Output pixels [start, end) of n·oh·ow of a conv with 7-bit weights over the padded image xp and
 * pixel sums s of qs8_pad_i8 (see top); ws i32 [n·oh·ow] is scratch for 64·(window sum), written
 * for this range only.
 */
export function qs8_conv2d_i7(
  xp: usize, s: usize, ws: usize, pw: usize, y: usize, hp: i32, wp: i32, cq: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32, cout: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  const pixBytes = <usize>cq;
  const xs = <usize>sw * pixBytes;
  const rowStep = <usize>(dh * wp) * pixBytes;
  // With no column dilation, a kernel row's channels are one contiguous run of kw·cq values.
  const flat = dw == 1;
  const cols = flat ? 1 : kw;
  const inner = flat ? (kw * cq) >> 2 : cq >> 2;
  const colStep = <usize>dw * pixBytes;
  const kquads = (kh * kw * cq) >> 2;
  const pstride = PANEL_HEAD + (<usize>kquads << 5);
  const panels = (cout + 7) >> 3;
  const vzp = i32x4.splat(zpOut);
  const vlo = i32x4.splat(lo - zpOut);
  const vhi = i32x4.splat(hi - zpOut);
  const ys = <usize>cout;
  const hw = oh * ow;
  let pix = start;
  while (pix < end) {
    const r = pix / ow; // output row over batch·oh
    const ox0 = pix - r * ow;
    const ox1 = min(ow, ox0 + (end - pix));
    const b = r / oh;
    const oy = r - b * oh;
    const rowBase = xp + <usize>((b * hp + oy * sh) * wp) * pixBytes;
    const yRow = y + <usize>((b * hw + oy * ow) * cout);
    const wsRow = ws + (<usize>(b * hw + oy * ow) << 2);
    // 64·(window sum) of every pixel of the segment, once for all panels
    const sRow = s + (<usize>((b * hp + oy * sh) * wp) << 2);
    for (let ox = ox0; ox < ox1; ox++) {
      let t = 0;
      for (let ky = 0; ky < kh; ky++) {
        const sp = sRow + (<usize>(ky * dh * wp + ox * sw) << 2);
        for (let kx = 0; kx < kw; kx++) t += load<i32>(sp + (<usize>(kx * dw) << 2));
      }
      store<i32>(wsRow + (<usize>ox << 2), t << 6);
    }
    for (let pi = 0; pi < panels; pi++) {
      const panel = pw + <usize>pi * pstride;
      const count = min(8, cout - (pi << 3));
      const yc = yRow + <usize>(pi << 3);
      let ox = ox0;
      if (ox1 - ox0 >= 4) {
        for (; ; ox += 4) {
          // the last tile overlaps the previous one rather than falling back to single pixels
          if (ox + 4 > ox1) ox = ox1 - 4;
          tile4(rowBase + <usize>ox * xs, xs, wsRow + (<usize>ox << 2), panel, kh, cols, inner, rowStep, colStep, yc + <usize>ox * ys, ys, count, vzp, vlo, vhi);
          if (ox + 4 >= ox1) break;
        }
      } else {
        for (; ox < ox1; ox++) {
          tile1(rowBase + <usize>ox * xs, wsRow + (<usize>ox << 2), panel, kh, cols, inner, rowStep, colStep, yc + <usize>ox * ys, count, vzp, vlo, vhi);
        }
      }
    }
    pix += ox1 - ox0;
  }
}
