/**
 * JS references of the calibration and per-channel quantization kernels (assembly/calibration.ts),
 * step for step in float32 (Math.fround) so that the kernels must agree with them bit for bit.
 * They take plain arrays and validate nothing: tests compare them with the validated wrappers.
 */
import { roundHalfEven } from './rounding.js';

/**
 * [min, max] of x as a Float32Array; NaN is ignored, −0 orders below +0 (like wasm's f32.min/max and
 * Math.min/max), and an empty or all-NaN input gives [+Infinity, −Infinity].
 */
export const refMinMaxF32 = (x: Float32Array): Float32Array => {
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    mn = Math.min(mn, v);
    mx = Math.max(mx, v);
  }
  return Float32Array.of(mn, mx);
};

/**
 * counts += histogram of x over [lo, hi) in `bins` bins: bin = floor(f32(f32(x − lo) · inv)) with
 * inv = f32(f32(bins) / f32(hi − lo)), clamped into [0, bins − 1] (values below lo fall in the first
 * bin, values ≥ hi in the last); NaN skipped. Accumulates into `counts` (fresh zeros when omitted)
 * and returns it.
 */
export const refHistogramF32 = (
  x: Float32Array,
  lo: number,
  hi: number,
  bins: number,
  counts = new Uint32Array(bins),
): Uint32Array => {
  const l = Math.fround(lo);
  const inv = Math.fround(Math.fround(bins) / Math.fround(Math.fround(hi) - l));
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    const b = Math.floor(Math.fround(Math.fround(v - l) * inv));
    const j = Math.min(bins - 1, Math.max(0, b));
    counts[j] = counts[j]! + 1;
  }
  return counts;
};

const quantize1 = (v: number, s: number, zp: number, lo: number): number => {
  const t = Math.fround(roundHalfEven(Math.fround(v / s)) + zp);
  return Number.isNaN(t) ? 0 : Math.min(127, Math.max(lo, t));
};

/**
 * Per-channel activation quantization of x[rows × channels] (channels innermost):
 * q = clamp(roundHalfEven(f32(x / s[c])) + zp[c], −128, 127); NaN → 0.
 */
export const refQuantizePerChannelF32 = (
  x: Float32Array,
  rows: number,
  channels: number,
  scales: Float32Array,
  zeroPoints: Int32Array,
): Int8Array => {
  const y = new Int8Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      y[i] = quantize1(x[i]!, scales[c]!, zeroPoints[c]!, -128);
    }
  }
  return y;
};

/**
 * Symmetric per-output-channel weight quantization of w[rows × channels]:
 * q = clamp(roundHalfEven(f32(w / s[c])), −127, 127); NaN → 0 (docs/methods.md §3).
 */
export const refQuantizeWeightsPerChannel = (
  w: Float32Array,
  rows: number,
  channels: number,
  scales: Float32Array,
): Int8Array => {
  const q = new Int8Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      q[i] = quantize1(w[i]!, scales[c]!, 0, -127);
    }
  }
  return q;
};

/** Per-channel dequantization of q[rows × channels]: x̂ = f32(f32(q − zp[c]) · s[c]). */
export const refDequantizePerChannelS8 = (
  q: Int8Array,
  rows: number,
  channels: number,
  scales: Float32Array,
  zeroPoints: Int32Array,
): Float32Array => {
  const y = new Float32Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      y[i] = Math.fround(Math.fround(q[i]! - zeroPoints[c]!) * scales[c]!);
    }
  }
  return y;
};
