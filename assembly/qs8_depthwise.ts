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
