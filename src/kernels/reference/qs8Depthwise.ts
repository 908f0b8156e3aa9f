/** JS reference of the int8 depthwise convolution (weights `[kh, kw, c]`, docs/methods.md §3). */
import { convLayout, type ConvGeometry } from '../convGeometry.js';
import type { RequantSpec } from './qs8Conv.js';
import { requantize } from './requantize.js';

/** x int8 `[n, h, w, c]` → y int8 `[n, oh, ow, c]` (dilation must be 1). */
export const refQs8Depthwise = (x: Int8Array, w: Int8Array, g: ConvGeometry, q: RequantSpec): Int8Array => {
  const [n, h, wd, c] = g.inShape;
  const [kh, kw] = g.kernel;
  const { oh, ow, pad } = convLayout(g);
  const y = new Int8Array(n * oh * ow * c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = q.bias[ch]!;
          for (let i = 0; i < kh; i++) {
            const iy = oy * g.stride[0] + i - pad.top;
            if (iy < 0 || iy >= h) continue;
            for (let j = 0; j < kw; j++) {
              const ix = ox * g.stride[1] + j - pad.left;
              if (ix < 0 || ix >= wd) continue;
              acc = (acc + (x[((b * h + iy) * wd + ix) * c + ch]! - q.xZeroPoint) * w[(i * kw + j) * c + ch]!) | 0;
            }
          }
          y[((b * oh + oy) * ow + ox) * c + ch] = requantize(
            acc,
            q.multipliers[ch]!,
            q.yZeroPoint,
            q.clamp[0],
            q.clamp[1],
          );
        }
      }
    }
  }
  return y;
};
