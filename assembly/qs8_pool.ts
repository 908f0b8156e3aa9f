// int8 pooling on NHWC codes (no widening needed): max pooling keeps the quantization; average
// pooling sums x − zp exactly in i32 over the valid window positions (padding is not counted, as
// tfjs does) and requantizes with m = f32(s_x / f32(f32(count)·s_y)).
import { requant1, requant4 } from './requant';

/** Output pixels [start, end) of n·oh·ow. */
export function qs8_maxpool(
  x: usize, y: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  oh: i32, ow: i32, start: i32, end: i32,
): void {
  for (let p = start; p < end; p++) {
    const r = p / ow;
    const ox = p - r * ow;
    const b = r / oh;
    const oy = r - b * oh;
    const y0 = max(0, oy * sh - pt);
    const y1 = min(h, oy * sh - pt + kh);
    const x0 = max(0, ox * sw - pl);
    const x1 = min(w, ox * sw - pl + kw);
    const dst = y + <usize>p * <usize>c;
    let ch = 0;
    for (; ch + 16 <= c; ch += 16) {
      let m = i8x16.splat(-128);
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) m = i8x16.max_s(m, v128.load(x + <usize>(((b * h + iy) * w + ix) * c + ch)));
      }
      v128.store(dst + <usize>ch, m);
    }
    for (; ch < c; ch++) {
      let m: i32 = -128;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) m = max(m, <i32>load<i8>(x + <usize>(((b * h + iy) * w + ix) * c + ch)));
      }
      store<i8>(dst + <usize>ch, <i8>m);
    }
  }
}

/** Output pixels [start, end) of n·oh·ow. */
export function qs8_avgpool(
  x: usize, y: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  oh: i32, ow: i32, sx: f32, sy: f32, zpx: i32, zpy: i32, start: i32, end: i32,
): void {
  for (let p = start; p < end; p++) {
    const r = p / ow;
    const ox = p - r * ow;
    const b = r / oh;
    const oy = r - b * oh;
    const y0 = max(0, oy * sh - pt);
    const y1 = min(h, oy * sh - pt + kh);
    const x0 = max(0, ox * sw - pl);
    const x1 = min(w, ox * sw - pl + kw);
    const count = (y1 - y0) * (x1 - x0);
    const m: f32 = sx / (<f32>count * sy);
    const corr = count * zpx;
    const vm = f32x4.splat(m);
    const vcorr = i32x4.splat(corr);
    const vzp = i32x4.splat(zpy);
    const vlo = i32x4.splat(-128 - zpy);
    const vhi = i32x4.splat(127 - zpy);
    const dst = y + <usize>p * <usize>c;
    let ch = 0;
    for (; ch + 8 <= c; ch += 8) {
      let s0 = i32x4.splat(0);
      let s1 = i32x4.splat(0);
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) {
          const v = v128.load8x8_s(x + <usize>(((b * h + iy) * w + ix) * c + ch));
          s0 = i32x4.add(s0, i32x4.extend_low_i16x8_s(v));
          s1 = i32x4.add(s1, i32x4.extend_high_i16x8_s(v));
        }
      }
      const q0 = requant4(i32x4.sub(s0, vcorr), vm, vzp, vlo, vhi);
      const q1 = requant4(i32x4.sub(s1, vcorr), vm, vzp, vlo, vhi);
      const hq = i16x8.narrow_i32x4_s(q0, q1);
      v128.store64_lane(dst + <usize>ch, i8x16.narrow_i16x8_s(hq, hq), 0);
    }
    for (; ch < c; ch++) {
      let s: i32 = 0;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) s += <i32>load<i8>(x + <usize>(((b * h + iy) * w + ix) * c + ch));
      }
      store<i8>(dst + <usize>ch, <i8>requant1(s - corr, m, zpy, -128 - zpy, 127 - zpy));
    }
  }
}

