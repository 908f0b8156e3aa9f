/**
 * JS reference of the int8 convolution kernel (docs/methods.md §3): exact int32 accumulation of
 * (x − zp_x)·w over the dilated window (padding contributes nothing), then requantization.
 */
import { convLayout, type ConvGeometry } from '../convGeometry.js';
import { requantize } from './requantize.js';

/** Per-output-channel requantization of a kernel: bias, multipliers, output zero point and clamps. */
export interface RequantSpec {
  readonly bias: Int32Array;
  readonly multipliers: Float32Array;
  readonly xZeroPoint: number;
  readonly yZeroPoint: number;
  /** Output code clamps (the fused activation): `[-128, 127]` for none. */
  readonly clamp: readonly [number, number];
}

/** x int8 `[n, h, w, cin]`, w int8 `[kh, kw, cin, cout]` → y int8 `[n, oh, ow, cout]`. */
export const refQs8Conv2d = (x: Int8Array, w: Int8Array, cout: number, g: ConvGeometry, q: RequantSpec): Int8Array => {
  const [n, h, wd, cin] = g.inShape;
  const [kh, kw] = g.kernel;
  const { oh, ow, pad } = convLayout(g);
  const y = new Int8Array(n * oh * ow * cout);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let o = 0; o < cout; o++) {
          let acc = q.bias[o]!;
          for (let i = 0; i < kh; i++) {
            const iy = oy * g.stride[0] + i * g.dilation[0] - pad.top;
            if (iy < 0 || iy >= h) continue;
            for (let j = 0; j < kw; j++) {
              const ix = ox * g.stride[1] + j * g.dilation[1] - pad.left;
              if (ix < 0 || ix >= wd) continue;
              const xb = ((b * h + iy) * wd + ix) * cin;
              const wb = (i * kw + j) * cin * cout + o;
              for (let c = 0; c < cin; c++) acc = (acc + (x[xb + c]! - q.xZeroPoint) * w[wb + c * cout]!) | 0;
            }
          }
          y[((b * oh + oy) * ow + ox) * cout + o] = requantize(
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
