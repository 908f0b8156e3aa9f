/** JS reference of the int8 depthwise convolution (weights `[kh, kw, c·m]`, docs/methods.md §3). */
import { convLayout, type ConvGeometry } from '../convGeometry.js';
import type { RequantSpec } from './qs8Conv.js';
import { requantize } from './requantize.js';

/**
 * x int8 `[n, h, w, c]` → y int8 `[n, oh, ow, c·m]` with depth multiplier m (output channel o reads
 * input channel ⌊o / m⌋) and the geometry's stride and dilation.
 */
export const refQs8Depthwise = (
  x: Int8Array,
  w: Int8Array,
  g: ConvGeometry & { readonly depthMultiplier?: number },
  q: RequantSpec,
): Int8Array => {
  const [n, h, wd, c] = g.inShape;
  const [kh, kw] = g.kernel;
  const [dh, dw] = g.dilation;
  const m = g.depthMultiplier ?? 1;
  const co = c * m;
  const { oh, ow, pad } = convLayout(g);
  const y = new Int8Array(n * oh * ow * co);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let o = 0; o < co; o++) {
          const ch = Math.floor(o / m);
          let acc = q.bias[o]!;
          for (let i = 0; i < kh; i++) {
            const iy = oy * g.stride[0] + i * dh - pad.top;
            if (iy < 0 || iy >= h) continue;
            for (let j = 0; j < kw; j++) {
              const ix = ox * g.stride[1] + j * dw - pad.left;
              if (ix < 0 || ix >= wd) continue;
              acc = (acc + (x[((b * h + iy) * wd + ix) * c + ch]! - q.xZeroPoint) * w[(i * kw + j) * co + o]!) | 0;
            }
          }
          y[((b * oh + oy) * ow + ox) * co + o] = requantize(
            acc,
            q.multipliers[o]!,
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
