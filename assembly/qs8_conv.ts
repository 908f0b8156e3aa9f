// int8 convolution as an implicit GEMM (METHODS.md §3), in two steps per call:
//  1. qs8_pad_widen writes the input once as int16 (x − zp) into a padded scratch image, zero in
//     the padding (padding with the input zero point contributes nothing), channels rounded up to
//     even. The conv then needs no bounds checks and no im2col.
//  2. qs8_conv2d multiplies that image with weights packed at load into panels of 8 output
//     channels: per panel, int32 bias[8], f32 multiplier[8], then for every (ky, kx, channel pair)
//     16 int8 weights [w(k0,o0), w(k1,o0), w(k0,o1), ..., w(k1,o7)] (or 8 bytes of int4 nibbles).
//     A splat of one input channel pair times the widened weights is one i32x4.dot_i16x8_s giving
//     4 output channels; 4 output pixels × 8 channels of accumulators stay in registers.
// Parallel kernels take a trailing [start, end) range of output pixels, so a pool can split work.

import { requant8, store8 } from './requant';

const PANEL_HEAD: usize = 64; // bias i32[8] + multiplier f32[8]

// @ts-ignore: decorator
@inline function panelBytes(kpairs: i32, int4: bool): usize {
  return PANEL_HEAD + (<usize>kpairs << (int4 ? 3 : 4));
}

/** x int8 [n, h, w, c] → xp int16 [n, hp, wp, cp] = x − zp, zero in padding; rows [start, end) of n·hp. */
export function qs8_pad_widen(
  x: usize, xp: usize, h: i32, w: i32, c: i32, cp: i32, zp: i32,
  pt: i32, pb: i32, pl: i32, pr: i32, start: i32, end: i32,
): void {
  const hp = h + pt + pb;
  const wp = w + pl + pr;
  const rowBytes = <usize>(wp * cp) << 1;
  const vz = i16x8.splat(<i16>zp);
  for (let r = start; r < end; r++) {
    const b = r / hp;
    const iy = r - b * hp - pt;
    const dst = xp + <usize>r * rowBytes;
    if (iy < 0 || iy >= h) {
      memory.fill(dst, 0, rowBytes);
      continue;
    }
    const src = x + <usize>((b * h + iy) * w * c);
    memory.fill(dst, 0, <usize>(pl * cp) << 1);
    memory.fill(dst + (<usize>((pl + w) * cp) << 1), 0, <usize>(pr * cp) << 1);
    const body = dst + (<usize>(pl * cp) << 1);
    if (c == cp) {
      widenRun(src, body, w * c, zp, vz);
    } else {
      for (let ix = 0; ix < w; ix++) {
        const d = body + (<usize>(ix * cp) << 1);
        widenRun(src + <usize>(ix * c), d, c, zp, vz);
        for (let ch = c; ch < cp; ch++) store<i16>(d + (<usize>ch << 1), 0);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function widenRun(src: usize, dst: usize, n: i32, zp: i32, vz: v128): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) v128.store(dst + (<usize>i << 1), i16x8.sub(v128.load8x8_s(src + <usize>i), vz));
  for (; i < n; i++) store<i16>(dst + (<usize>i << 1), <i16>(<i32>load<i8>(src + <usize>i) - zp));
}

// The weights of one channel pair for 8 outputs, as two i16x8 vectors (w0: outputs 0–3, w1: 4–7).
// int8: two sign-extending 8-byte loads. int4: one 8-byte load whose low nibbles are w0 and high
// nibbles w1, so the raw bytes are read once (see packConvWeights).
// @ts-ignore: decorator
@inline function rawW(p: usize, int4: bool): v128 {
  return int4 ? v128.load64_zero(p) : i32x4.splat(0);
}

// @ts-ignore: decorator
@inline function loadW0(p: usize, raw: v128, int4: bool): v128 {
  return int4 ? i16x8.extend_low_i8x16_s(i8x16.shr_s(i8x16.shl(raw, 4), 4)) : v128.load8x8_s(p);
}

// @ts-ignore: decorator
@inline function loadW1(p: usize, raw: v128, int4: bool): v128 {
  return int4 ? i16x8.extend_low_i8x16_s(i8x16.shr_s(raw, 4)) : v128.load8x8_s(p + 8);
}

// Geometry of one conv call, shared by the tiles (kept in locals by inlining).
// x0: first input element of the tile's first pixel; xs: bytes between the tile's pixels;
// rowStep: bytes between kernel rows; colStep: bytes between kernel columns (when not flat);
// inner: channel pairs per inner run; cols: inner runs per kernel row.

// @ts-ignore: decorator
@inline function tile4(
  x0: usize, xs: usize, panel: usize, kh: i32, cols: i32, inner: i32, rowStep: usize, colStep: usize,
  y0: usize, ys: usize, count: i32, vzp: v128, vlo: v128, vhi: v128, int4: bool,
): void {
  const b0 = v128.load(panel);
  const b1 = v128.load(panel + 16);
  let a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
  let wp = panel + PANEL_HEAD;
  const wstep: usize = int4 ? 8 : 16;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < cols; kx++) {
      let p = x0 + <usize>ky * rowStep + <usize>kx * colStep;
      for (let j = 0; j < inner; j++) {
        const raw = rawW(wp, int4);
        const w0 = loadW0(wp, raw, int4);
        const w1 = loadW1(wp, raw, int4);
        wp += wstep;
        let v = v128.load32_splat(p);
        a00 = i32x4.add(a00, i32x4.dot_i16x8_s(v, w0));
        a01 = i32x4.add(a01, i32x4.dot_i16x8_s(v, w1));
        v = v128.load32_splat(p + xs);
        a10 = i32x4.add(a10, i32x4.dot_i16x8_s(v, w0));
        a11 = i32x4.add(a11, i32x4.dot_i16x8_s(v, w1));
        v = v128.load32_splat(p + 2 * xs);
        a20 = i32x4.add(a20, i32x4.dot_i16x8_s(v, w0));
        a21 = i32x4.add(a21, i32x4.dot_i16x8_s(v, w1));
        v = v128.load32_splat(p + 3 * xs);
        a30 = i32x4.add(a30, i32x4.dot_i16x8_s(v, w0));
        a31 = i32x4.add(a31, i32x4.dot_i16x8_s(v, w1));
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
  x0: usize, panel: usize, kh: i32, cols: i32, inner: i32, rowStep: usize, colStep: usize,
  y0: usize, count: i32, vzp: v128, vlo: v128, vhi: v128, int4: bool,
): void {
  let a0 = v128.load(panel);
  let a1 = v128.load(panel + 16);
  let wp = panel + PANEL_HEAD;
  const wstep: usize = int4 ? 8 : 16;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < cols; kx++) {
      let p = x0 + <usize>ky * rowStep + <usize>kx * colStep;
      for (let j = 0; j < inner; j++) {
        const v = v128.load32_splat(p);
        const raw = rawW(wp, int4);
        a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v, loadW0(wp, raw, int4)));
        a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v, loadW1(wp, raw, int4)));
        wp += wstep;
        p += 4;
      }
    }
  }
  store8(y0, requant8(a0, a1, v128.load(panel + 32), v128.load(panel + 48), vzp, vlo, vhi), count);
}

// @ts-ignore: decorator
@inline function conv2dImpl(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32, cout: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32, int4: bool,
): void {
  const pixBytes = <usize>cp << 1;
  const xs = <usize>sw * pixBytes;
  const rowStep = <usize>(dh * wp) * pixBytes;
  // With no column dilation, a kernel row's channels are one contiguous run of kw·cp values.
  const flat = dw == 1;
  const cols = flat ? 1 : kw;
  const inner = flat ? (kw * cp) >> 1 : cp >> 1;
  const colStep = <usize>dw * pixBytes;
  const kpairs = (kh * kw * cp) >> 1;
  const pstride = panelBytes(kpairs, int4);
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
    for (let pi = 0; pi < panels; pi++) {
      const panel = pw + <usize>pi * pstride;
      const count = min(8, cout - (pi << 3));
      const yc = yRow + <usize>(pi << 3);
      let ox = ox0;
      if (ox1 - ox0 >= 4) {
        for (; ; ox += 4) {
          // the last tile overlaps the previous one rather than falling back to single pixels
          if (ox + 4 > ox1) ox = ox1 - 4;
          tile4(rowBase + <usize>ox * xs, xs, panel, kh, cols, inner, rowStep, colStep, yc + <usize>ox * ys, ys, count, vzp, vlo, vhi, int4);
          if (ox + 4 >= ox1) break;
        }
      } else {
        for (; ox < ox1; ox++) {
          tile1(rowBase + <usize>ox * xs, panel, kh, cols, inner, rowStep, colStep, yc + <usize>ox * ys, count, vzp, vlo, vhi, int4);
        }
      }
    }
    pix += ox1 - ox0;
  }
}

/** Output pixels [start, end) of n·oh·ow of an int8 conv over a padded, widened input (see top). */
export function qs8_conv2d(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32, cout: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  conv2dImpl(xp, pw, y, hp, wp, cp, kh, kw, sh, sw, dh, dw, oh, ow, cout, zpOut, lo, hi, start, end, false);
}

/** As qs8_conv2d with int4 weights (two per byte, see top). */
export function qs8_conv2d_int4(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32, cout: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  conv2dImpl(xp, pw, y, hp, wp, cp, kh, kw, sh, sw, dh, dw, oh, ow, cout, zpOut, lo, hi, start, end, true);
}
