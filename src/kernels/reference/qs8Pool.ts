/**
 * JS references of int8 pooling: max over the valid window positions (quantization unchanged);
 * average of x − zp over the valid positions (padding not counted, as tfjs does), requantized with
 * m = f32(s_x / f32(f32(count)·s_y)).
 */
import { convLayout, type ConvGeometry } from '../convGeometry.js';
import { requantize } from './requantize.js';

const f = Math.fround;

/** Quantization of an average pool's input and output. */
export interface PoolQuant {
  readonly xScale: number;
  readonly xZeroPoint: number;
  readonly yScale: number;
  readonly yZeroPoint: number;
}

const pool = (x: Int8Array, g: ConvGeometry, reduce: (window: number[], count: number) => number): Int8Array => {
  const [n, h, w, c] = g.inShape;
  const [kh, kw] = g.kernel;
  const { oh, ow, pad } = convLayout(g);
  const y = new Int8Array(n * oh * ow * c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const y0 = Math.max(0, oy * g.stride[0] - pad.top);
        const y1 = Math.min(h, oy * g.stride[0] - pad.top + kh);
        const x0 = Math.max(0, ox * g.stride[1] - pad.left);
        const x1 = Math.min(w, ox * g.stride[1] - pad.left + kw);
        for (let ch = 0; ch < c; ch++) {
          const window: number[] = [];
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) window.push(x[((b * h + iy) * w + ix) * c + ch]!);
          y[((b * oh + oy) * ow + ox) * c + ch] = reduce(window, window.length);
        }
      }
    }
  }
  return y;
};

/** Max pooling of `[n, h, w, c]` codes. */
export const refQs8MaxPool = (x: Int8Array, g: ConvGeometry): Int8Array => pool(x, g, (win) => Math.max(-128, ...win));

/** Average pooling of `[n, h, w, c]` codes. */
export const refQs8AvgPool = (x: Int8Array, g: ConvGeometry, q: PoolQuant): Int8Array =>
  pool(x, g, (win, count) => {
    const acc = win.reduce((a, v) => a + v - q.xZeroPoint, 0);
    return requantize(acc, f(f(q.xScale) / f(f(count) * f(q.yScale))), q.yZeroPoint, -128, 127);
  });
