// int8 depthwise convolution over the padded int16 image of qs8_pad_widen (channels rounded up
// to a multiple of 8). Weights are packed at load per 8 channels: int32 bias[8], f32
// multiplier[8], then kh·kw taps of 8 int8 weights. Each tap is one widened-input load times
// the 8 weights, accumulated exactly in i32 (extmul).
import { narrow8, requant4, store8 } from './requant';

/** Output pixels [start, end) of n·oh·ow. */
export function qs8_depthwise(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  if (kh == 3 && kw == 3) depthwise3x3(xp, pw, y, hp, wp, cp, c, sh, sw, oh, ow, zpOut, lo, hi, start, end);
  else depthwiseAny(xp, pw, y, hp, wp, cp, c, kh, kw, sh, sw, oh, ow, zpOut, lo, hi, start, end);
}

// 3×3: channel groups outside, pixels inside, so the 9 widened weight vectors stay in registers.
function depthwise3x3(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32, c: i32, sh: i32, sw: i32, oh: i32, ow: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  const groups = (c + 7) >> 3;
  const gstride: usize = 64 + 72;
  const vzp = i32x4.splat(zpOut);
  const vlo = i32x4.splat(lo - zpOut);
  const vhi = i32x4.splat(hi - zpOut);
  const pix = <usize>cp << 1;
  const row = <usize>wp * pix;
  for (let g = 0; g < groups; g++) {
    const wg = pw + <usize>g * gstride;
    const w0 = v128.load8x8_s(wg + 64), w1 = v128.load8x8_s(wg + 72), w2 = v128.load8x8_s(wg + 80);
    const w3 = v128.load8x8_s(wg + 88), w4 = v128.load8x8_s(wg + 96), w5 = v128.load8x8_s(wg + 104);
    const w6 = v128.load8x8_s(wg + 112), w7 = v128.load8x8_s(wg + 120), w8 = v128.load8x8_s(wg + 128);
    const count = min(8, c - (g << 3));
    const goff = <usize>g << 4;
    // walk (b, oy, ox) incrementally: two integer divisions per pixel would cost more than its taps
    const r0 = start / ow;
    let ox = start - r0 * ow;
    let b = r0 / oh;
    let oy = r0 - b * oh;
    for (let p = start; p < end; p++) {
      const x0 = xp + <usize>((b * hp + oy * sh) * wp + ox * sw) * pix + goff;
      let a0 = v128.load(wg);
      let a1 = v128.load(wg + 16);
      let v = v128.load(x0);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w0)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w0));
      v = v128.load(x0 + pix);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w1)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w1));
      v = v128.load(x0 + 2 * pix);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w2)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w2));
      const x1 = x0 + row;
      v = v128.load(x1);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w3)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w3));
      v = v128.load(x1 + pix);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w4)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w4));
      v = v128.load(x1 + 2 * pix);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w5)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w5));
      const x2 = x1 + row;
      v = v128.load(x2);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w6)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w6));
      v = v128.load(x2 + pix);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w7)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w7));
      v = v128.load(x2 + 2 * pix);
      a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(v, w8)); a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(v, w8));
      const q = narrow8(requant4(a0, v128.load(wg + 32), vzp, vlo, vhi), requant4(a1, v128.load(wg + 48), vzp, vlo, vhi));
      store8(y + <usize>p * <usize>c + (<usize>g << 3), q, count);
      if (++ox == ow) {
        ox = 0;
        if (++oy == oh) {
          oy = 0;
          b++;
        }
      }
    }
  }
}

function depthwiseAny(
  xp: usize, pw: usize, y: usize, hp: i32, wp: i32, cp: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32,
  zpOut: i32, lo: i32, hi: i32, start: i32, end: i32,
): void {
  const groups = (c + 7) >> 3;
  const gstride = <usize>(64 + kh * kw * 8);
  const vzp = i32x4.splat(zpOut);
  const vlo = i32x4.splat(lo - zpOut);
  const vhi = i32x4.splat(hi - zpOut);
  const pix = <usize>cp << 1;
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
      for (let ky = 0; ky < kh; ky++) {
        let xq = xg + <usize>(ky * wp) * pix;
        for (let kx = 0; kx < kw; kx++) {
          const xv = v128.load(xq);
          const wv = v128.load8x8_s(wt);
          a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(xv, wv));
          a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(xv, wv));
          xq += pix;
          wt += 8;
        }
      }
      const q = narrow8(requant4(a0, v128.load(wg + 32), vzp, vlo, vhi), requant4(a1, v128.load(wg + 48), vzp, vlo, vhi));
      store8(y0 + (<usize>g << 3), q, min(8, c - (g << 3)));
    }
  }
}
