/**
 * JS reference of the relaxed int8 conv path's exact contract (assembly/qs8_conv_i7.ts): 7-bit
 * weights w ∈ [−64, 63] offset to w7 = w + 64 ∈ 0..127, raw input codes x (the zero point in the
 * padding), and the accumulator computed as the kernel computes it, in wrapping int32:
 *   acc = (bias − zx·Σw) + Σ x·w7 − 64·Σ x.
 * It equals bias + Σ (x − zx)·w exactly, so the output is the baseline contract's
 * ({@link refQs8Conv2d}) bit for bit; this file spells the decomposition out so that a test can
 * hold the kernel's arithmetic, not only its result, to it.
 */
import { kapriError } from '../../core/errors.js';
import { convLayout, type ConvGeometry } from '../convGeometry.js';
import type { RequantSpec } from './qs8Conv.js';
import { requantize } from './requantize.js';

/** x int8 `[n, h, w, cin]`, 7-bit w `[kh, kw, cin, cout]` → y int8 `[n, oh, ow, cout]` by the decomposition above. */
export const refQs8Conv2dI7 = (
  x: Int8Array,
  w: Int8Array,
  cout: number,
  g: ConvGeometry,
  q: RequantSpec,
): Int8Array => {
  const [n, h, wd, cin] = g.inShape;
  const [kh, kw] = g.kernel;
  const { oh, ow, pad } = convLayout(g);
  for (const v of w) if (v < -64 || v > 63) throw kapriError('InvalidArgument', `7-bit weight ${v} outside [-64, 63]`);
  const wsum = new Int32Array(cout);
  for (let i = 0; i < w.length; i++) wsum[i % cout] = (wsum[i % cout]! + w[i]!) | 0;
  const zx = q.xZeroPoint;
  const y = new Int8Array(n * oh * ow * cout);
  const at = (b: number, iy: number, ix: number, c: number): number =>
    iy < 0 || iy >= h || ix < 0 || ix >= wd ? zx : x[((b * h + iy) * wd + ix) * cin + c]!;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let xsum = 0;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const iy = oy * g.stride[0] + i * g.dilation[0] - pad.top;
            const ix = ox * g.stride[1] + j * g.dilation[1] - pad.left;
            for (let c = 0; c < cin; c++) xsum = (xsum + at(b, iy, ix, c)) | 0;
          }
        }
        for (let o = 0; o < cout; o++) {
          let acc = (q.bias[o]! - Math.imul(zx, wsum[o]!)) | 0;
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const iy = oy * g.stride[0] + i * g.dilation[0] - pad.top;
              const ix = ox * g.stride[1] + j * g.dilation[1] - pad.left;
              const wb = (i * kw + j) * cin * cout + o;
              for (let c = 0; c < cin; c++) acc = (acc + at(b, iy, ix, c) * (w[wb + c * cout]! + 64)) | 0;
            }
          }
          acc = (acc - Math.imul(64, xsum)) | 0;
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
