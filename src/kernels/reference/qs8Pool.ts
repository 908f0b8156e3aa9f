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

/** m = f32(s_x / f32(f32(count)·s_y)): the multiplier of an average over `count` positions. */
export const avgPoolMultiplier = (q: PoolQuant, count: number): number => f(f(q.xScale) / f(f(count) * f(q.yScale)));

// Loops rather than window arrays: a window can hold millions of positions (no spread, no allocation).
const pool = (
  x: Int8Array,
  g: ConvGeometry,
  reduce: (max: number, sum: number, count: number) => number,
): Int8Array => {
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
        const count = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
        for (let ch = 0; ch < c; ch++) {
          let max = -128;
          let sum = 0;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const v = x[((b * h + iy) * w + ix) * c + ch]!;
              if (v > max) max = v;
              sum += v;
            }
          }
          y[((b * oh + oy) * ow + ox) * c + ch] = reduce(max, sum, count);
        }
      }
    }
  }
  return y;
};

/** Max pooling of `[n, h, w, c]` codes. */
export const refQs8MaxPool = (x: Int8Array, g: ConvGeometry): Int8Array => pool(x, g, (max) => max);

/** Average pooling of `[n, h, w, c]` codes. */
export const refQs8AvgPool = (x: Int8Array, g: ConvGeometry, q: PoolQuant): Int8Array =>
  pool(x, g, (_, sum, count) =>
    requantize(sum - count * q.xZeroPoint, avgPoolMultiplier(q, count), q.yZeroPoint, -128, 127),
  );
