/**
 * Validated wrappers of the calibration and per-channel quantization kernels (assembly/calibration.ts):
 * min/max and histograms over calibration data, per-channel quantize/dequantize of activations, and
 * symmetric per-output-channel weight quantization (docs/methods.md §3). The array forms copy through arena
 * scratch; the `*At` forms work on arena regions with no copy (the runtime's hot path). Every argument
 * is checked before wasm runs; failures are typed {@link KapriError}s.
 *
 * Layout: per-channel tensors are `[rows × channels]` with channels innermost (NHWC-like); scales are
 * f32[channels], zero points i32[channels].
 *
 * @example
 * const k = await loadKernels();
 * const { min, max } = minMaxF32(k, batch);
 * const counts = histogramF32(k, batch, { lo: min, hi: max, bins: 2048 });
 * const scales = weightScalesPerChannel(w, rows, channels);
 * const q = quantizeWeightsPerChannel(k, w, rows, channels, scales);
 */
import { kapriError } from '../core/errors.js';
import type { Region } from './arena.js';
import type { KernelModule } from './loader.js';
import { withScratch } from './qs8Quantize.js';
import { checkCount, checkDtype, checkInArena, checkLength, checkScale, checkZeroPoint } from './validate.js';

/** Minimum and maximum of a float buffer (NaN ignored; `+Infinity` / `−Infinity` when nothing was counted). */
export interface MinMax {
  readonly min: number;
  readonly max: number;
}

/** Histogram range: `bins` equal bins over `[lo, hi)`; values outside fall into the end bins. */
export interface HistogramRange {
  readonly lo: number;
  readonly hi: number;
  readonly bins: number;
}

/**
 * Per-channel affine quantization parameters: one scale (a float32, finite and > 0) and one zero point
 * (an integer in [−128, 127]) per channel. Zero points may be an Int32Array or a plain number array.
 */
export interface PerChannelParams {
  readonly scales: Float32Array;
  readonly zeroPoints: Int32Array | readonly number[];
}

/** Largest number of histogram bins (so that `f32(bins)` is exact). */
export const MAX_HISTOGRAM_BINS = 1 << 24;

/**
 * Smallest scale {@link weightScalesPerChannel} returns: 2^−32. An all-zero channel (or one whose
 * max |w| / 127 is below it) gets this scale, so that the scale stays a valid positive float32 and
 * the bias scale `s_in · s_w` does not underflow; its weights then quantize exactly (all zeros, or
 * small integers well inside [−127, 127]).
 */
export const WEIGHT_SCALE_FLOOR = 2 ** -32;

const MAX_I32 = 0x7fffffff;

/** rows and channels are non-negative integers whose product fits the kernels' i32 indexing. */
const checkShape = (rows: number, channels: number): number => {
  checkCount('rows', rows);
  checkCount('channels', channels);
  const n = rows * channels;
  if (n * 4 > MAX_I32) {
    throw kapriError(
      'InvalidArgument',
      `rows × channels = ${n} is too large for the kernels (at most ${MAX_I32 >> 2})`,
      { rows, channels },
    );
  }
  return n;
};

const checkScales = (scales: ArrayLike<number>): void => {
  for (let c = 0; c < scales.length; c++) checkScale(`scales[${c}]`, scales[c]!);
};

const checkZeroPoints = (zps: ArrayLike<number>): void => {
  for (let c = 0; c < zps.length; c++) checkZeroPoint(`zeroPoints[${c}]`, zps[c]!);
};

const checkParamArrays = (channels: number, p: PerChannelParams): void => {
  if (typeof p !== 'object' || p === null)
    throw kapriError('InvalidArgument', 'per-channel params must be { scales, zeroPoints }');
  checkDtype('scales', p.scales, Float32Array);
  if (!(p.zeroPoints instanceof Int32Array) && !Array.isArray(p.zeroPoints)) {
    const z = p.zeroPoints as unknown;
    const got = z === null || z === undefined ? String(z) : ((z as object).constructor?.name ?? typeof z);
    throw kapriError('InvalidShape', `zeroPoints must be an Int32Array or an array of integers, got ${got}`, {
      name: 'zeroPoints',
    });
  }
  checkLength('scales', p.scales.length, channels, `${channels} channels`);
  checkLength('zeroPoints', p.zeroPoints.length, channels, `${channels} channels`);
  checkScales(p.scales);
  checkZeroPoints(p.zeroPoints);
};

/** Checks that scale / zero-point regions hold `channels` valid values (reads them from the arena). */
const checkParamRegions = (k: KernelModule, channels: number, scales: Region, zeroPoints: Region | null): void => {
  checkInArena(k.arena, 'scales', scales, channels * 4);
  if (zeroPoints !== null) checkInArena(k.arena, 'zeroPoints', zeroPoints, channels * 4);
  checkScales(k.arena.f32(scales, channels));
  if (zeroPoints !== null) checkZeroPoints(k.arena.i32(zeroPoints, channels));
};

/** The histogram range is usable: integer bins in [1, 2^24], finite lo < hi in float32, finite bin width. */
const checkRange = (range: HistogramRange): void => {
  if (typeof range !== 'object' || range === null)
    throw kapriError('InvalidArgument', 'histogram range must be { lo, hi, bins }');
  const { lo, hi, bins } = range;
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_HISTOGRAM_BINS) {
    throw kapriError('InvalidArgument', `bins must be an integer in [1, ${MAX_HISTOGRAM_BINS}], got ${String(bins)}`, {
      bins,
    });
  }
  if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw kapriError(
      'InvalidArgument',
      `histogram lo and hi must be finite numbers, got [${String(lo)}, ${String(hi)})`,
      { lo, hi },
    );
  }
  const l = Math.fround(lo);
  const h = Math.fround(hi);
  if (!(l < h)) {
    throw kapriError('InvalidArgument', `histogram needs lo < hi (in float32), got [${lo}, ${hi})`, { lo, hi });
  }
  const width = Math.fround(h - l);
  const inv = Math.fround(Math.fround(bins) / width);
  if (!Number.isFinite(width) || !Number.isFinite(inv) || inv <= 0) {
    throw kapriError(
      'InvalidArgument',
      `histogram range [${lo}, ${hi}) with ${bins} bins has no finite float32 bin width`,
      { lo, hi, bins },
    );
  }
};

const u32View = (k: KernelModule, r: Region, length: number): Uint32Array => k.arena.u32(r, length);

/**
 * Min and max of the n floats at region x, written to region out (2 f32) and returned. NaN is
 * ignored, −0 orders below +0, and an empty or all-NaN input gives `{ min: +Infinity, max: −Infinity }`.
 */
export const minMaxF32At = (k: KernelModule, x: Region, n: number, out: Region): MinMax => {
  checkCount('n', n);
  checkInArena(k.arena, 'x', x, n * 4);
  checkInArena(k.arena, 'out', out, 8);
  k.exports.f32_minmax(x.ptr, n, out.ptr);
  const v = k.arena.f32(out, 2);
  return { min: v[0]!, max: v[1]! };
};

/** Min and max of a Float32Array (copying through the arena); see {@link minMaxF32At}. */
export const minMaxF32 = (k: KernelModule, x: Float32Array): MinMax => {
  checkDtype('x', x, Float32Array);
  return withScratch(k, [x.length * 4, 8], ([rx, ro]) => {
    k.arena.f32(rx!, x.length).set(x);
    return minMaxF32At(k, rx!, x.length, ro!);
  });
};

/**
 * Accumulates the histogram of the n floats at region x into region counts (u32[bins]); it does not
 * clear counts, so that calibration can stream batches. bin = floor(f32(f32(x − lo) · f32(bins / (hi − lo))))
 * in float32; values below lo (and −Infinity) are counted in bin 0, values ≥ hi (and +Infinity, and
 * values just below hi that round up to bins) in bin bins − 1; NaN is skipped. Counts wrap modulo 2^32.
 */
export const histogramF32At = (k: KernelModule, x: Region, n: number, range: HistogramRange, counts: Region): void => {
  checkCount('n', n);
  checkRange(range);
  checkInArena(k.arena, 'x', x, n * 4);
  checkInArena(k.arena, 'counts', counts, range.bins * 4);
  k.exports.f32_histogram(x.ptr, n, range.lo, range.hi, range.bins, counts.ptr);
};

/**
 * Histogram of a Float32Array over `range` (copying through the arena); see {@link histogramF32At}.
 * With `counts` given (a Uint32Array of `bins` elements), accumulates into it and returns it;
 * otherwise returns fresh counts.
 */
export const histogramF32 = (
  k: KernelModule,
  x: Float32Array,
  range: HistogramRange,
  counts?: Uint32Array,
): Uint32Array => {
  checkDtype('x', x, Float32Array);
  checkRange(range);
  if (counts !== undefined) {
    checkDtype('counts', counts, Uint32Array);
    checkLength('counts', counts.length, range.bins, `a histogram of ${range.bins} bins`);
  }
  const bins = range.bins;
  return withScratch(k, [x.length * 4, bins * 4], ([rx, rc]) => {
    k.arena.f32(rx!, x.length).set(x);
    const view = u32View(k, rc!, bins);
    if (counts !== undefined) view.set(counts);
    else view.fill(0);
    histogramF32At(k, rx!, x.length, range, rc!);
    const result = u32View(k, rc!, bins);
    if (counts === undefined) return result.slice();
    counts.set(result);
    return counts;
  });
};

/**
 * Per-channel activation quantization of region x (f32[rows × channels], channels innermost) into
 * region y (i8[rows × channels]) with scales (f32[channels]) and zeroPoints (i32[channels]) regions:
 * q = clamp(roundHalfEven(f32(x / s[c])) + zp[c], −128, 127), NaN → 0, as the per-tensor kernel.
 */
export const quantizePerChannelF32At = (
  k: KernelModule,
  x: Region,
  y: Region,
  rows: number,
  channels: number,
  scales: Region,
  zeroPoints: Region,
): void => {
  const n = checkShape(rows, channels);
  checkInArena(k.arena, 'x', x, n * 4);
  checkInArena(k.arena, 'y', y, n);
  checkParamRegions(k, channels, scales, zeroPoints);
  k.exports.qs8_quantize_f32_per_channel(x.ptr, y.ptr, rows, channels, scales.ptr, zeroPoints.ptr);
};

/** Per-channel quantization of a Float32Array [rows × channels] (copying); see {@link quantizePerChannelF32At}. */
export const quantizePerChannelF32 = (
  k: KernelModule,
  x: Float32Array,
  rows: number,
  channels: number,
  p: PerChannelParams,
): Int8Array => {
  checkDtype('x', x, Float32Array);
  const n = checkShape(rows, channels);
  checkLength('x', x.length, n, `[${rows} × ${channels}]`);
  checkParamArrays(channels, p);
  return withScratch(k, [n * 4, n, channels * 4, channels * 4], ([rx, ry, rs, rz]) => {
    k.arena.f32(rx!, n).set(x);
    k.arena.f32(rs!, channels).set(p.scales);
    k.arena.i32(rz!, channels).set(p.zeroPoints);
    quantizePerChannelF32At(k, rx!, ry!, rows, channels, rs!, rz!);
    return k.arena.i8(ry!, n).slice();
  });
};

/**
 * Symmetric per-output-channel weight quantization (docs/methods.md §3) of region w (f32[rows × channels],
 * output channels innermost) into region q (i8) with the scales region (f32[channels]), zero point 0:
 * q = clamp(roundHalfEven(f32(w / s[c])), −127, 127), NaN → 0 (−128 is never produced).
 */
export const quantizeWeightsPerChannelAt = (
  k: KernelModule,
  w: Region,
  q: Region,
  rows: number,
  channels: number,
  scales: Region,
): void => {
  const n = checkShape(rows, channels);
  checkInArena(k.arena, 'w', w, n * 4);
  checkInArena(k.arena, 'q', q, n);
  checkParamRegions(k, channels, scales, null);
  k.exports.qs8_quantize_weights_per_channel(w.ptr, q.ptr, rows, channels, scales.ptr);
};

/** Symmetric per-channel weight quantization of a Float32Array (copying); see {@link quantizeWeightsPerChannelAt}. */
export const quantizeWeightsPerChannel = (
  k: KernelModule,
  w: Float32Array,
  rows: number,
  channels: number,
  scales: Float32Array,
): Int8Array => {
  checkDtype('w', w, Float32Array);
  const n = checkShape(rows, channels);
  checkLength('w', w.length, n, `[${rows} × ${channels}]`);
  checkDtype('scales', scales, Float32Array);
  checkLength('scales', scales.length, channels, `${channels} channels`);
  checkScales(scales);
  return withScratch(k, [n * 4, n, channels * 4], ([rw, rq, rs]) => {
    k.arena.f32(rw!, n).set(w);
    k.arena.f32(rs!, channels).set(scales);
    quantizeWeightsPerChannelAt(k, rw!, rq!, rows, channels, rs!);
    return k.arena.i8(rq!, n).slice();
  });
};

/**
 * Per-channel dequantization of region q (i8[rows × channels]) into region y (f32) with scales
 * (f32[channels]) and zeroPoints (i32[channels]) regions: x̂ = f32(f32(q − zp[c]) · s[c]).
 */
export const dequantizePerChannelS8At = (
  k: KernelModule,
  q: Region,
  y: Region,
  rows: number,
  channels: number,
  scales: Region,
  zeroPoints: Region,
): void => {
  const n = checkShape(rows, channels);
  checkInArena(k.arena, 'q', q, n);
  checkInArena(k.arena, 'y', y, n * 4);
  checkParamRegions(k, channels, scales, zeroPoints);
  k.exports.qs8_dequantize_s8_per_channel(q.ptr, y.ptr, rows, channels, scales.ptr, zeroPoints.ptr);
};

/** Per-channel dequantization of an Int8Array [rows × channels] (copying); see {@link dequantizePerChannelS8At}. */
export const dequantizePerChannelS8 = (
  k: KernelModule,
  q: Int8Array,
  rows: number,
  channels: number,
  p: PerChannelParams,
): Float32Array => {
  checkDtype('q', q, Int8Array);
  const n = checkShape(rows, channels);
  checkLength('q', q.length, n, `[${rows} × ${channels}]`);
  checkParamArrays(channels, p);
  return withScratch(k, [n, n * 4, channels * 4, channels * 4], ([rq, ry, rs, rz]) => {
    k.arena.i8(rq!, n).set(q);
    k.arena.f32(rs!, channels).set(p.scales);
    k.arena.i32(rz!, channels).set(p.zeroPoints);
    dequantizePerChannelS8At(k, rq!, ry!, rows, channels, rs!, rz!);
    return k.arena.f32(ry!, n).slice();
  });
};

/**
 * Symmetric per-output-channel weight scales of w[rows × channels] (output channels innermost):
 * s[c] = max(f32(max_r |w[r, c]| / 127), {@link WEIGHT_SCALE_FLOOR}). The floor (2^−32) keeps
 * all-zero (or nearly zero) channels at a valid positive scale. Pure TypeScript, no wasm. Throws
 * `InvalidData` when a weight is NaN or infinite.
 */
export const weightScalesPerChannel = (w: Float32Array, rows: number, channels: number): Float32Array => {
  checkDtype('w', w, Float32Array);
  const n = checkShape(rows, channels);
  checkLength('w', w.length, n, `[${rows} × ${channels}]`);
  const absMax = new Float32Array(channels);
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    for (let c = 0; c < channels; c++) {
      const v = w[o + c]!;
      if (!Number.isFinite(v)) {
        throw kapriError('InvalidData', `w[${r}, ${c}] is ${v}; weights must be finite to compute scales`, {
          row: r,
          channel: c,
        });
      }
      const a = Math.abs(v);
      if (a > absMax[c]!) absMax[c] = a;
    }
  }
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) scales[c] = Math.max(Math.fround(absMax[c]! / 127), WEIGHT_SCALE_FLOOR);
  return scales;
};
