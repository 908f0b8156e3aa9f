// int8 depthwise convolution over the padded int16 image of qs8_pad_widen (channels rounded up
// to a multiple of 8), with a depth multiplier m (output channel o reads input channel o / m: the
// image is then widened with every channel repeated m times, qs8_pad_widen_repeat) and dilation.
// Weights are packed at load per 8 output channels: int32 bias[8], f32 multiplier[8], then the
// kh·kw taps in pairs (the last paired with a zero tap), each pair as two i16x8 vectors whose lanes
// interleave the pair's weights channel by channel: [wa0 wb0 wa1 wb1 wa2 wb2 wa3 wb3] for channels
// 0–3, then 4–7. The two taps' input vectors are interleaved the same way (one shuffle per half),
// so one i32x4.dot_i16x8_s does two taps of four channels, exactly in i32.
import { narrow8, requant4f, store8 } from './requant';

/** Output pixels [start, end) of n·oh·ow. */
export function qs8_depthwise(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  if (kh == 3 && kw == 3) depthwise3x3(xp, pw, y, hp, wp, cp, c, sh, sw, dh, dw, oh, ow, zpOut, lo, hi, start, end);
  else depthwiseAny(xp, pw, y, hp, wp, cp, c, kh, kw, sh, sw, dh, dw, oh, ow, zpOut, lo, hi, start, end);
}

/**
 * Rows [start, end) of n·hp of the padded int16 image `x − zp` of an NHWC int8 input with every
 * channel repeated m times (channels c·m, padded with zeros to cp): the input of a depthwise
 * convolution with depth multiplier m.
 */
export function qs8_pad_widen_repeat(
  x: usize, xp: usize, h: i32, w: i32, c: i32, m: i32, cp: i32, zp: i32,
  pt: i32, pb: i32, pl: i32, pr: i32, start: i32, end: i32,
): void {
  const hp = h + pt + pb;
  const wp = w + pl + pr;
  const rowBytes = <usize>(wp * cp) << 1;
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
    for (let ix = 0; ix < w; ix++) {
      const s = src + <usize>(ix * c);
      const d = dst + (<usize>((pl + ix) * cp) << 1);
      let o = 0;
      for (let ch = 0; ch < c; ch++) {
        const v = <i16>(<i32>load<i8>(s + <usize>ch) - zp);
        for (let j = 0; j < m; j++) {
          store<i16>(d + (<usize>o << 1), v);
          o++;
        }
      }
      for (; o < cp; o++) store<i16>(d + (<usize>o << 1), 0);
    }
  }
}

// Interleaves the low (channels 0–3) or high (4–7) halves of two taps' i16 vectors lane by lane.
// @ts-ignore: decorator
@inline function lo2(a: v128, b: v128): v128 {
  return v128.shuffle<i16>(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
}
// @ts-ignore: decorator
@inline function hi2(a: v128, b: v128): v128 {
  return v128.shuffle<i16>(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
}

// 3×3: pixels outside, channel groups inside, so that each pixel's cache lines are read whole
// while the packed weights (a few KB) stay in L1; tap offsets fixed per call (stride and dilation
// folded in).
function depthwise3x3(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32, c: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  oh: i32, ow: i32, zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  const groups = (c + 7) >> 3;
  const full = c >> 3;
  // bias, multipliers, 5 tap pairs of 32 bytes
  const gstride: usize = 64 + 160;
  const vzp = i32x4.splat(zpOut);
  const vlo = f32x4.splat(<f32>(lo - zpOut));
  const vhi = f32x4.splat(<f32>(hi - zpOut));
  const pix = <usize>cp << 1;
  const row = <usize>wp * pix;
  const tx = pix * <usize>dw;
  const ty = row * <usize>dh;
  const zero = i16x8.splat(0);
  // walk (b, oy, ox) incrementally: two integer divisions per pixel would cost more than its taps
  const r0 = start / ow;
  let ox = start - r0 * ow;
  let b = r0 / oh;
  let oy = r0 - b * oh;
  for (let p = start; p < end; p++) {
    let x0 = xp + <usize>((b * hp + oy * sh) * wp + ox * sw) * pix;
    let wg = pw;
    let yo = y + <usize>p * <usize>c;
    for (let g = 0; g < groups; g++) {
      const w = wg + 64;
      const x1 = x0 + ty;
      const x2 = x1 + ty;
      let v = v128.load(x0);
      let u = v128.load(x0 + tx);
      let a0 = i32x4.add(v128.load(wg), i32x4.dot_i16x8_s(lo2(v, u), v128.load(w)));
      let a1 = i32x4.add(v128.load(wg + 16), i32x4.dot_i16x8_s(hi2(v, u), v128.load(w + 16)));
      v = v128.load(x0 + 2 * tx);
      u = v128.load(x1);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(lo2(v, u), v128.load(w + 32)));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(hi2(v, u), v128.load(w + 48)));
      v = v128.load(x1 + tx);
      u = v128.load(x1 + 2 * tx);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(lo2(v, u), v128.load(w + 64)));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(hi2(v, u), v128.load(w + 80)));
      v = v128.load(x2);
      u = v128.load(x2 + tx);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(lo2(v, u), v128.load(w + 96)));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(hi2(v, u), v128.load(w + 112)));
      v = v128.load(x2 + 2 * tx);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(lo2(v, zero), v128.load(w + 128)));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(hi2(v, zero), v128.load(w + 144)));
      const q = narrow8(requant4f(a0, v128.load(wg + 32), vzp, vlo, vhi), requant4f(a1, v128.load(wg + 48), vzp, vlo, vhi));
      if (g < full) v128.store64_lane(yo, q, 0);
      else store8(yo, q, c - (g << 3));
      x0 += 16;
      wg += gstride;
      yo += 8;
    }
    if (++ox == ow) {
      ox = 0;
      if (++oy == oh) {
        oy = 0;
        b++;
      }
    }
  }
}

function depthwiseAny(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  const groups = (c + 7) >> 3;
  const taps = kh * kw;
  const gstride = <usize>(64 + ((taps + 1) >> 1) * 32);
  const vzp = i32x4.splat(zpOut);
  const vlo = f32x4.splat(<f32>(lo - zpOut));
  const vhi = f32x4.splat(<f32>(hi - zpOut));
  const pix = <usize>cp << 1;
  const tx = pix * <usize>dw;
  const ty = <usize>wp * pix * <usize>dh;
  const zero = i16x8.splat(0);
  for (let p = start; p < end; p++) {
    const r = p / ow;
    const ox = p - r * ow;
    const b = r / oh;
    const oy = r - b * oh;
    const x0 = xp + <usize>((b * hp + oy * sh) * wp + ox * sw) * pix;
    const y0 = y + <usize>p * <usize>c;
    for (let g = 0; g < groups; g++) {
      const wg = pw + <usize>g * gstride;
      let a0 = v128.load(wg);
      let a1 = v128.load(wg + 16);
      let wt = wg + 64;
      const xg = x0 + (<usize>g << 4);
      // taps in raster order, two at a time
      let ky = 0;
      let kx = 0;
      for (let t = 0; t < taps; t += 2) {
        const v = v128.load(xg + <usize>ky * ty + <usize>kx * tx);
        if (++kx == kw) {
          kx = 0;
          ky++;
        }
        let u = zero;
        if (t + 1 < taps) {
          u = v128.load(xg + <usize>ky * ty + <usize>kx * tx);
          if (++kx == kw) {
            kx = 0;
            ky++;
          }
        }
        a0 = i32x4.add(a0, i32x4.dot_i16x8_s(lo2(v, u), v128.load(wt)));
        a1 = i32x4.add(a1, i32x4.dot_i16x8_s(hi2(v, u), v128.load(wt + 16)));
        wt += 32;
      }
      const q = narrow8(requant4f(a0, v128.load(wg + 32), vzp, vlo, vhi), requant4f(a1, v128.load(wg + 48), vzp, vlo, vhi));
      store8(y0 + (<usize>g << 3), q, min(8, c - (g << 3)));
    }
  }
}
