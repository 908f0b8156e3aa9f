/**
 * JS reference implementations of every QModel op, following the int8 contract exactly. They are
 * the runtime's portable backend and the specification the SIMD kernels must match bit for bit.
 * Layouts: activations NHWC without batch ([H, W, C]); conv weights [kh, kw, Cin, Cout];
 * depthwise weights [3, 3, C]; dense weights [D, U].
 */
import { roundHalfEven } from '../kernels/reference/rounding.js';
import { convOutSize, padSplit } from '../core/shape.js';
import { activationClamp, requantize, requantMultiplier } from './requantize.js';
import type { QActivation, TensorQuant } from './qmodelTypes.js';

const f = Math.fround;

/** TF-style 'same' padding before the data: the extra row/column goes to the bottom/right. */
export const padBefore = (inSize: number, k: number, s: number, padding: 'same' | 'valid'): number => padSplit(inSize, k, s, padding)[0];

export interface ConvArgs {
  readonly x: Int8Array;
  readonly inShape: readonly [number, number, number];
  readonly xq: TensorQuant;
  readonly w: Int8Array;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly cout: number;
  readonly scales: Float32Array;
  readonly bias: Int32Array;
  readonly yq: TensorQuant;
  readonly activation: QActivation;
}

/** Convolution with exact int32 accumulation; padding contributes x = zp (nothing). */
export const refConv2d = (a: ConvArgs): Int8Array => {
  const [h, w, cin] = a.inShape;
  const [kh, kw] = a.kernel;
  const [sh, sw] = a.stride;
  const oh = convOutSize(h, kh, sh, a.padding);
  const ow = convOutSize(w, kw, sw, a.padding);
  const pt = padBefore(h, kh, sh, a.padding);
  const pl = padBefore(w, kw, sw, a.padding);
  const m = Float32Array.from(a.scales, (s) => requantMultiplier(a.xq.scale, s, a.yq.scale));
  const [lo, hi] = activationClamp(a.activation, a.yq);
  const y = new Int8Array(oh * ow * a.cout);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let o = 0; o < a.cout; o++) {
        let acc = a.bias[o]!;
        for (let i = 0; i < kh; i++) {
          const iy = oy * sh + i - pt;
          if (iy < 0 || iy >= h) continue;
          for (let j = 0; j < kw; j++) {
            const ix = ox * sw + j - pl;
            if (ix < 0 || ix >= w) continue;
            const xb = (iy * w + ix) * cin;
            const wb = (i * kw + j) * cin * a.cout + o;
            for (let c = 0; c < cin; c++) acc = (acc + (a.x[xb + c]! - a.xq.zeroPoint) * a.w[wb + c * a.cout]!) | 0;
          }
        }
        y[(oy * ow + ox) * a.cout + o] = requantize(acc, m[o]!, a.yq.zeroPoint, lo, hi);
      }
    }
  }
  return y;
};

/** Depthwise 3×3 ('same'), weights [3, 3, C]. */
export const refDepthwise3x3 = (a: Omit<ConvArgs, 'kernel' | 'padding' | 'cout'>): Int8Array => {
  const [h, w, c] = a.inShape;
  const s = a.stride[0];
  const oh = convOutSize(h, 3, s, 'same');
  const ow = convOutSize(w, 3, s, 'same');
  const pt = padBefore(h, 3, s, 'same');
  const pl = padBefore(w, 3, s, 'same');
  const m = Float32Array.from(a.scales, (sc) => requantMultiplier(a.xq.scale, sc, a.yq.scale));
  const [lo, hi] = activationClamp(a.activation, a.yq);
  const y = new Int8Array(oh * ow * c);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = a.bias[ch]!;
        for (let i = 0; i < 3; i++) {
          const iy = oy * s + i - pt;
          if (iy < 0 || iy >= h) continue;
          for (let j = 0; j < 3; j++) {
            const ix = ox * s + j - pl;
            if (ix < 0 || ix >= w) continue;
            acc = (acc + (a.x[(iy * w + ix) * c + ch]! - a.xq.zeroPoint) * a.w[(i * 3 + j) * c + ch]!) | 0;
          }
        }
        y[(oy * ow + ox) * c + ch] = requantize(acc, m[ch]!, a.yq.zeroPoint, lo, hi);
      }
    }
  }
  return y;
};

/** Dense [D] → [U]. */
export const refDense = (x: Int8Array, xq: TensorQuant, w: Int8Array, units: number, scales: Float32Array, bias: Int32Array, yq: TensorQuant, activation: QActivation): Int8Array => {
  const d = x.length;
  const [lo, hi] = activationClamp(activation, yq);
  const y = new Int8Array(units);
  for (let o = 0; o < units; o++) {
    let acc = bias[o]!;
    for (let i = 0; i < d; i++) acc = (acc + (x[i]! - xq.zeroPoint) * w[i * units + o]!) | 0;
    y[o] = requantize(acc, requantMultiplier(xq.scale, scales[o]!, yq.scale), yq.zeroPoint, lo, hi);
  }
  return y;
};

/** Max pooling over valid positions (quantization unchanged). */
export const refMaxPool = (x: Int8Array, inShape: readonly [number, number, number], size: readonly [number, number], stride: readonly [number, number], padding: 'same' | 'valid'): Int8Array => {
  const [h, w, c] = inShape;
  const oh = convOutSize(h, size[0], stride[0], padding);
  const ow = convOutSize(w, size[1], stride[1], padding);
  const pt = padBefore(h, size[0], stride[0], padding);
  const pl = padBefore(w, size[1], stride[1], padding);
  const y = new Int8Array(oh * ow * c);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let best = -129;
        for (let i = 0; i < size[0]; i++) {
          const iy = oy * stride[0] + i - pt;
          if (iy < 0 || iy >= h) continue;
          for (let j = 0; j < size[1]; j++) {
            const ix = ox * stride[1] + j - pl;
            if (ix >= 0 && ix < w) best = Math.max(best, x[(iy * w + ix) * c + ch]!);
          }
        }
        y[(oy * ow + ox) * c + ch] = best;
      }
    }
  }
  return y;
};

/** Average pooling over valid positions (padding excluded from the count, as tfjs does). */
export const refAvgPool = (x: Int8Array, inShape: readonly [number, number, number], xq: TensorQuant, size: readonly [number, number], stride: readonly [number, number], padding: 'same' | 'valid', yq: TensorQuant): Int8Array => {
  const [h, w, c] = inShape;
  const oh = convOutSize(h, size[0], stride[0], padding);
  const ow = convOutSize(w, size[1], stride[1], padding);
  const pt = padBefore(h, size[0], stride[0], padding);
  const pl = padBefore(w, size[1], stride[1], padding);
  const y = new Int8Array(oh * ow * c);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      const y0 = Math.max(0, oy * stride[0] - pt);
      const y1 = Math.min(h, oy * stride[0] - pt + size[0]);
      const x0 = Math.max(0, ox * stride[1] - pl);
      const x1 = Math.min(w, ox * stride[1] - pl + size[1]);
      const count = (y1 - y0) * (x1 - x0);
      const m = f(f(xq.scale) / f(f(count) * f(yq.scale)));
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) acc += x[(iy * w + ix) * c + ch]! - xq.zeroPoint;
        y[(oy * ow + ox) * c + ch] = requantize(acc, m, yq.zeroPoint, -128, 127);
      }
    }
  }
  return y;
};

/** Global average pooling [H, W, C] → [C]. */
export const refGlobalAvgPool = (x: Int8Array, inShape: readonly [number, number, number], xq: TensorQuant, yq: TensorQuant): Int8Array => {
  const [h, w, c] = inShape;
  const m = f(f(xq.scale) / f(f(h * w) * f(yq.scale)));
  const y = new Int8Array(c);
  for (let ch = 0; ch < c; ch++) {
    let acc = 0;
    for (let p = 0; p < h * w; p++) acc += x[p * c + ch]! - xq.zeroPoint;
    y[ch] = requantize(acc, m, yq.zeroPoint, -128, 127);
  }
  return y;
};

/** y = clamp(rhe(f32(f32((a−za)·ma) + f32((b−zb)·mb))) + zo), ma = f32(sa/so), mb = f32(sb/so). */
export const refAdd = (a: Int8Array, aq: TensorQuant, b: Int8Array, bq: TensorQuant, yq: TensorQuant, activation: QActivation): Int8Array => {
  const ma = f(f(aq.scale) / f(yq.scale));
  const mb = f(f(bq.scale) / f(yq.scale));
  const [lo, hi] = activationClamp(activation, yq);
  const y = new Int8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = roundHalfEven(f(f((a[i]! - aq.zeroPoint) * ma) + f((b[i]! - bq.zeroPoint) * mb))) + yq.zeroPoint;
    y[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return y;
};
