import { describe, expect, it } from 'vitest';
import { loadKernels, type KernelModule } from '../../src/kernels/loader.js';
import {
  MAX_HISTOGRAM_BINS,
  WEIGHT_SCALE_FLOOR,
  dequantizePerChannelS8,
  dequantizePerChannelS8At,
  histogramF32,
  histogramF32At,
  minMaxF32,
  minMaxF32At,
  quantizePerChannelF32,
  quantizePerChannelF32At,
  quantizeWeightsPerChannel,
  quantizeWeightsPerChannelAt,
  weightScalesPerChannel,
} from '../../src/kernels/calibration.js';
import {
  refDequantizePerChannelS8,
  refHistogramF32,
  refMinMaxF32,
  refQuantizePerChannelF32,
  refQuantizeWeightsPerChannel,
} from '../../src/kernels/reference/calibration.js';
import type { Region } from '../../src/kernels/arena.js';
import { createRng } from '../../src/core/rng.js';
import { bits, expectTag, randomF32, randomI8 } from '../support/values.js';

const LENGTHS = [0, 1, 15, 16, 17, 63, 1000];
const CHANNELS = [1, 3, 4, 16, 17, 33];

/** Per-channel params with a mix of power-of-two scales (exact halves) and awkward ones. */
const channelParams = (channels: number, seed: number): { scales: Float32Array; zeroPoints: Int32Array } => {
  const rng = createRng(seed);
  const scales = Float32Array.from({ length: channels }, (_, c) =>
    c % 3 === 0 ? 2 ** -(2 + (c % 5)) : 0.003 + rng.uniform() * 0.05,
  );
  const zeroPoints = Int32Array.from({ length: channels }, () => rng.int(256) - 128);
  return { scales, zeroPoints };
};

/** Activations that hit exact halves, saturate both ways, and include NaN / ±Infinity. */
const channelInput = (rows: number, channels: number, scales: Float32Array, seed: number): Float32Array => {
  const x = randomF32(rows * channels, seed, 1);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    if (i % 7 === 0) x[i] = (Math.round(x[i]! / scales[c]!) + 0.5) * scales[c]!; // a half when s is a power of two
    if (i % 11 === 3) x[i] = x[i]! * 1e3; // saturates
  }
  if (x.length > 5) {
    x[2] = Number.NaN;
    x[3] = Infinity;
    x[5] = -Infinity;
  }
  return x;
};

/** Allocates regions, runs body, frees them. */
const withRegions = <T>(k: KernelModule, sizes: number[], body: (rs: Region[]) => T): T => {
  const rs = sizes.map((s) => k.arena.alloc(s));
  try {
    return body(rs);
  } finally {
    for (const r of rs) k.arena.free(r);
  }
};

describe.each(['simd', 'relaxed', 'threads'] as const)('calibration kernels (%s build)', (build) => {
  describe('f32_minmax', () => {
    it.each(LENGTHS)('finds min and max of %i floats bit-exactly like the reference, ignoring NaN', async (n) => {
      const k = await loadKernels({ build });
      const x = randomF32(n, n + 100, 3);
      for (let i = 0; i < n; i += 9) x[i] = Number.NaN;
      const { min, max } = minMaxF32(k, x);
      expect(bits(Float32Array.of(min, max))).toEqual(bits(refMinMaxF32(x)));
    });

    it.each([0, 1, 15, 16, 17, 63])('gives +Infinity / -Infinity for %i NaNs', async (n) => {
      const k = await loadKernels({ build });
      const x = new Float32Array(n).fill(Number.NaN);
      expect(minMaxF32(k, x)).toEqual({ min: Infinity, max: -Infinity });
      expect(bits(refMinMaxF32(x))).toEqual(bits(Float32Array.of(Infinity, -Infinity)));
    });

    it('orders -0 below +0 whatever the position, and keeps infinities', async () => {
      const k = await loadKernels({ build });
      for (const n of [2, 17, 40]) {
        const z = new Float32Array(n);
        z[n - 1] = -0;
        const r = minMaxF32(k, z);
        expect(Object.is(r.min, -0)).toBe(true);
        expect(Object.is(r.max, 0)).toBe(true);
        expect(bits(Float32Array.of(r.min, r.max))).toEqual(bits(refMinMaxF32(z)));
      }
      const x = randomF32(33, 7, 1);
      x[20] = Infinity;
      x[32] = -Infinity;
      expect(minMaxF32(k, x)).toEqual({ min: -Infinity, max: Infinity });
    });

    it('the region form matches the copying form', async () => {
      const k = await loadKernels({ build });
      const x = randomF32(77, 5, 2);
      withRegions(k, [77 * 4, 8], ([rx, ro]) => {
        k.arena.f32(rx!, 77).set(x);
        expect(minMaxF32At(k, rx!, 77, ro!)).toEqual(minMaxF32(k, x));
        expect(bits(k.arena.f32(ro!, 2))).toEqual(bits(refMinMaxF32(x)));
      });
    });
  });

  describe('f32_histogram', () => {
    it.each(LENGTHS)(
      'histograms %i floats bit-exactly like the reference, clamping the ends and skipping NaN',
      async (n) => {
        const k = await loadKernels({ build });
        const x = randomF32(n, n + 200, 2);
        for (let i = 0; i < n; i += 13) x[i] = Number.NaN;
        if (n > 4) {
          x[1] = Infinity;
          x[2] = -Infinity;
          x[3] = -1.5; // exactly lo
          x[4] = 1.25; // exactly hi → last bin
        }
        const nans = x.filter((v) => Number.isNaN(v)).length;
        for (const bins of [1, 3, 17, 33, 256]) {
          const range = { lo: -1.5, hi: 1.25, bins };
          const got = histogramF32(k, x, range);
          expect(Array.from(got)).toEqual(Array.from(refHistogramF32(x, -1.5, 1.25, bins)));
          expect(got.reduce((a, b) => a + b, 0)).toBe(n - nans);
        }
      },
    );

    it('puts values below lo in the first bin and values at or above hi in the last', async () => {
      const k = await loadKernels({ build });
      const x = Float32Array.of(-10, 0, 0.49, 0.5, 0.99, 1, 7, -Infinity, Infinity, Number.NaN);
      expect(Array.from(histogramF32(k, x, { lo: 0, hi: 1, bins: 2 }))).toEqual([4, 5]);
    });

    it('uses awkward ranges and bin counts exactly like the reference', async () => {
      const k = await loadKernels({ build });
      const x = randomF32(1000, 9, 1e-3);
      for (const [lo, hi, bins] of [
        [-0.003, 0.0017, 2048],
        [-1e-30, 1e-30, 7],
        [0.1, 0.3, 100],
        [-1e38, 1.5e38, 5],
        [-0.5, 0.5, 1 << 16],
      ] as const) {
        expect(Array.from(histogramF32(k, x, { lo, hi, bins }))).toEqual(Array.from(refHistogramF32(x, lo, hi, bins)));
      }
    });

    it('accumulates batches into counts (array and region forms)', async () => {
      const k = await loadKernels({ build });
      const a = randomF32(100, 1, 1);
      const b = randomF32(37, 2, 1);
      const range = { lo: -2, hi: 2, bins: 17 };
      const all = new Float32Array([...a, ...b]);
      const expected = Array.from(refHistogramF32(all, -2, 2, 17));
      const counts = new Uint32Array(17);
      expect(histogramF32(k, a, range, counts)).toBe(counts);
      histogramF32(k, b, range, counts);
      expect(Array.from(counts)).toEqual(expected);
      withRegions(k, [100 * 4, 37 * 4, 17 * 4], ([ra, rb, rc]) => {
        k.arena.f32(ra!, 100).set(a);
        k.arena.f32(rb!, 37).set(b);
        k.arena.i32(rc!, 17).fill(0);
        histogramF32At(k, ra!, 100, range, rc!);
        histogramF32At(k, rb!, 37, range, rc!);
        expect(Array.from(k.arena.i32(rc!, 17))).toEqual(expected);
      });
    });
  });

  describe('per-channel quantize / dequantize', () => {
    it.each(CHANNELS)('quantizes activations with %i channels bit-exactly for every row count', async (channels) => {
      const k = await loadKernels({ build });
      for (const rows of LENGTHS) {
        const p = channelParams(channels, channels * 31 + rows);
        const x = channelInput(rows, channels, p.scales, rows * 7 + channels);
        const got = quantizePerChannelF32(k, x, rows, channels, p);
        expect(Array.from(got)).toEqual(
          Array.from(refQuantizePerChannelF32(x, rows, channels, p.scales, p.zeroPoints)),
        );
      }
    });

    it.each(CHANNELS)(
      'quantizes weights with %i channels bit-exactly into [-127, 127] for every row count',
      async (channels) => {
        const k = await loadKernels({ build });
        for (const rows of LENGTHS) {
          const { scales } = channelParams(channels, channels * 17 + rows);
          const w = channelInput(rows, channels, scales, rows * 3 + channels + 1);
          const got = quantizeWeightsPerChannel(k, w, rows, channels, scales);
          expect(Array.from(got)).toEqual(Array.from(refQuantizeWeightsPerChannel(w, rows, channels, scales)));
          expect(got.every((q) => q >= -127 && q <= 127)).toBe(true);
        }
      },
    );

    it.each(CHANNELS)('dequantizes %i channels bit-exactly for every row count', async (channels) => {
      const k = await loadKernels({ build });
      for (const rows of LENGTHS) {
        const p = channelParams(channels, channels * 5 + rows + 1);
        const q = randomI8(rows * channels, rows * 13 + channels);
        const got = dequantizePerChannelS8(k, q, rows, channels, p);
        expect(bits(got)).toEqual(bits(refDequantizePerChannelS8(q, rows, channels, p.scales, p.zeroPoints)));
      }
    });

    it('clamps weights to -127 (never -128), rounds halves to even, and maps NaN to 0', async () => {
      const k = await loadKernels({ build });
      const channels = 17;
      const scales = new Float32Array(channels).fill(0.5);
      const row = [
        -1000,
        -63.75,
        -0.25,
        0.25,
        0.75,
        1.25,
        Number.NaN,
        Infinity,
        -Infinity,
        63.5,
        -63.5,
        63.25,
        0,
        -0,
        1,
        -1,
        2,
      ];
      const w = new Float32Array([...row, ...row.slice(1), row[0]!]);
      const q = quantizeWeightsPerChannel(k, w, 2, channels, scales);
      expect(Array.from(q.subarray(0, channels))).toEqual([
        -127, -127, 0, 0, 2, 2, 0, 127, -127, 127, -127, 126, 0, 0, 2, -2, 4,
      ]);
      expect(Array.from(q)).toEqual(Array.from(refQuantizeWeightsPerChannel(w, 2, channels, scales)));
    });

    it('matches the per-tensor contract when every channel has the same parameters', async () => {
      const k = await loadKernels({ build });
      const channels = 33;
      const x = randomF32(20 * channels, 3, 2);
      const p = { scales: new Float32Array(channels).fill(0.02), zeroPoints: new Array<number>(channels).fill(-7) };
      const q = quantizePerChannelF32(k, x, 20, channels, p);
      const { quantizeF32 } = await import('../../src/kernels/qs8Quantize.js');
      expect(Array.from(q)).toEqual(Array.from(quantizeF32(k, x, { scale: 0.02, zeroPoint: -7 })));
    });

    it('the region forms match the copying forms', async () => {
      const k = await loadKernels({ build });
      const rows = 9;
      const channels = 21;
      const n = rows * channels;
      const p = channelParams(channels, 4);
      const x = channelInput(rows, channels, p.scales, 5);
      withRegions(k, [n * 4, n, n * 4, channels * 4, channels * 4], ([rx, rq, ry, rs, rz]) => {
        k.arena.f32(rx!, n).set(x);
        k.arena.f32(rs!, channels).set(p.scales);
        k.arena.i32(rz!, channels).set(p.zeroPoints);
        quantizePerChannelF32At(k, rx!, rq!, rows, channels, rs!, rz!);
        const q = k.arena.i8(rq!, n).slice();
        expect(Array.from(q)).toEqual(Array.from(quantizePerChannelF32(k, x, rows, channels, p)));
        dequantizePerChannelS8At(k, rq!, ry!, rows, channels, rs!, rz!);
        expect(bits(k.arena.f32(ry!, n).slice())).toEqual(bits(dequantizePerChannelS8(k, q, rows, channels, p)));
        quantizeWeightsPerChannelAt(k, rx!, rq!, rows, channels, rs!);
        expect(Array.from(k.arena.i8(rq!, n))).toEqual(
          Array.from(quantizeWeightsPerChannel(k, x, rows, channels, p.scales)),
        );
      });
    });

    it('round-trips weights through weightScalesPerChannel within half a step per channel', async () => {
      const k = await loadKernels({ build });
      const rows = 40;
      const channels = 17;
      const w = randomF32(rows * channels, 8, 0.3);
      for (let r = 0; r < rows; r++) w[r * channels + 5] = 0; // an all-zero channel
      const scales = weightScalesPerChannel(w, rows, channels);
      const q = quantizeWeightsPerChannel(k, w, rows, channels, scales);
      const back = dequantizePerChannelS8(k, q, rows, channels, { scales, zeroPoints: new Int32Array(channels) });
      for (let i = 0; i < w.length; i++) {
        expect(Math.abs(back[i]! - w[i]!)).toBeLessThanOrEqual(scales[i % channels]! / 2 + 1e-7);
      }
      // the channel maximum maps to ±127
      for (let c = 0; c < channels; c++) {
        if (c === 5) continue;
        let m = 0;
        for (let r = 0; r < rows; r++) m = Math.max(m, Math.abs(q[r * channels + c]!));
        expect(m).toBe(127);
      }
    });
  });

  it('refuses every bad input with a typed error and leaves no arena region behind', async () => {
    const k = await loadKernels({ build });
    const before = k.arena.liveCount;
    const f32 = new Float32Array(12);
    const p = { scales: new Float32Array(4).fill(0.1), zeroPoints: new Int32Array(4) };
    const range = { lo: 0, hi: 1, bins: 4 };

    // wrong dtypes
    expectTag(() => minMaxF32(k, new Float64Array(4) as unknown as Float32Array), 'InvalidShape');
    expectTag(() => histogramF32(k, new Float64Array(4) as unknown as Float32Array, range), 'InvalidShape');
    expectTag(() => histogramF32(k, f32, range, new Int32Array(4) as unknown as Uint32Array), 'InvalidShape');
    expectTag(() => quantizePerChannelF32(k, new Float64Array(12) as unknown as Float32Array, 3, 4, p), 'InvalidShape');
    expectTag(
      () =>
        quantizePerChannelF32(k, f32, 3, 4, { ...p, scales: new Float64Array(4).fill(0.1) as unknown as Float32Array }),
      'InvalidShape',
    );
    expectTag(
      () => quantizePerChannelF32(k, f32, 3, 4, { ...p, zeroPoints: new Float32Array(4) as unknown as Int32Array }),
      'InvalidShape',
    );
    expectTag(
      () => quantizeWeightsPerChannel(k, new Float64Array(12) as unknown as Float32Array, 3, 4, p.scales),
      'InvalidShape',
    );
    expectTag(
      () => quantizeWeightsPerChannel(k, f32, 3, 4, [0.1, 0.1, 0.1, 0.1] as unknown as Float32Array),
      'InvalidShape',
    );
    expectTag(() => dequantizePerChannelS8(k, new Uint8Array(12) as unknown as Int8Array, 3, 4, p), 'InvalidShape');
    expectTag(() => weightScalesPerChannel(new Float64Array(12) as unknown as Float32Array, 3, 4), 'InvalidShape');

    // wrong lengths
    expectTag(() => quantizePerChannelF32(k, f32, 4, 4, p), 'InvalidShape');
    expectTag(() => quantizePerChannelF32(k, f32, 2, 6, p), 'InvalidShape');
    expectTag(() => quantizePerChannelF32(k, f32, 3, 4, { ...p, zeroPoints: new Int32Array(3) }), 'InvalidShape');
    expectTag(() => quantizeWeightsPerChannel(k, f32, 3, 4, new Float32Array(5).fill(1)), 'InvalidShape');
    expectTag(() => dequantizePerChannelS8(k, new Int8Array(11), 3, 4, p), 'InvalidShape');
    expectTag(() => weightScalesPerChannel(f32, 5, 4), 'InvalidShape');
    expectTag(() => histogramF32(k, f32, range, new Uint32Array(5)), 'InvalidShape');

    // bad shapes (counts)
    for (const [rows, channels] of [
      [-1, 4],
      [3, -4],
      [1.5, 8],
      [3, Number.NaN],
      [1 << 20, 1 << 12],
    ] as const) {
      expectTag(() => quantizePerChannelF32(k, f32, rows, channels, p), 'InvalidArgument');
    }

    // bad scales
    for (const s of [0, -0.1, Number.NaN, Infinity, -Infinity]) {
      const scales = new Float32Array(4).fill(0.1);
      scales[3] = s;
      expectTag(() => quantizePerChannelF32(k, f32, 3, 4, { ...p, scales }), 'InvalidArgument');
      expectTag(() => dequantizePerChannelS8(k, new Int8Array(12), 3, 4, { ...p, scales }), 'InvalidArgument');
      expectTag(() => quantizeWeightsPerChannel(k, f32, 3, 4, scales), 'InvalidArgument');
    }

    // bad zero points
    for (const z of [128, -129, 0.5, Number.NaN]) {
      const zeroPoints = [0, 0, z, 0];
      expectTag(() => quantizePerChannelF32(k, f32, 3, 4, { ...p, zeroPoints }), 'InvalidArgument');
      expectTag(() => dequantizePerChannelS8(k, new Int8Array(12), 3, 4, { ...p, zeroPoints }), 'InvalidArgument');
    }
    expectTag(
      () => quantizePerChannelF32(k, f32, 3, 4, { ...p, zeroPoints: Int32Array.of(0, 200, 0, 0) }),
      'InvalidArgument',
    );

    // bad histogram ranges
    for (const r of [
      { lo: 0, hi: 1, bins: 0 },
      { lo: 0, hi: 1, bins: -3 },
      { lo: 0, hi: 1, bins: 2.5 },
      { lo: 0, hi: 1, bins: MAX_HISTOGRAM_BINS + 1 },
      { lo: 1, hi: 1, bins: 4 },
      { lo: 2, hi: 1, bins: 4 },
      { lo: 1, hi: 1 + 1e-12, bins: 4 }, // equal in float32
      { lo: Number.NaN, hi: 1, bins: 4 },
      { lo: 0, hi: Infinity, bins: 4 },
      { lo: -3.4e38, hi: 3.4e38, bins: 4 }, // width overflows float32
      { lo: 0, hi: 1e-44, bins: 1 << 20 }, // bin width underflows
    ]) {
      expectTag(() => histogramF32(k, f32, r), 'InvalidArgument');
    }

    // non-finite weights for scales
    expectTag(() => weightScalesPerChannel(Float32Array.of(1, Number.NaN), 1, 2), 'InvalidData');

    // regions outside the arena, too small, or freed
    const outside: Region = { ptr: 1 << 30, bytes: 4096 };
    withRegions(k, [48, 12, 16, 16, 8, 16], ([rx, rq, rs, rz, ro, rc]) => {
      k.arena.f32(rs!, 4).fill(0.1);
      k.arena.i32(rz!, 4).fill(0);
      expectTag(() => minMaxF32At(k, outside, 4, ro!), 'InvalidArgument');
      expectTag(() => minMaxF32At(k, rx!, 13, ro!), 'InvalidArgument');
      expectTag(() => minMaxF32At(k, rx!, 12, { ptr: ro!.ptr, bytes: 4 }), 'InvalidArgument');
      expectTag(() => histogramF32At(k, outside, 4, range, rc!), 'InvalidArgument');
      expectTag(() => histogramF32At(k, rx!, 12, { lo: 0, hi: 1, bins: 5 }, rc!), 'InvalidArgument');
      expectTag(() => histogramF32At(k, rx!, 12, { lo: 0, hi: 1, bins: 0 }, rc!), 'InvalidArgument');
      expectTag(() => quantizePerChannelF32At(k, rx!, outside, 3, 4, rs!, rz!), 'InvalidArgument');
      expectTag(() => quantizePerChannelF32At(k, rx!, rq!, 4, 4, rs!, rz!), 'InvalidArgument');
      expectTag(() => quantizePerChannelF32At(k, rx!, rq!, 3, 4, outside, rz!), 'InvalidArgument');
      expectTag(() => quantizePerChannelF32At(k, rx!, rq!, 3, 4, rs!, { ptr: rz!.ptr, bytes: 12 }), 'InvalidArgument');
      expectTag(() => quantizeWeightsPerChannelAt(k, outside, rq!, 3, 4, rs!), 'InvalidArgument');
      expectTag(() => quantizeWeightsPerChannelAt(k, rx!, rq!, 3, 5, rs!), 'InvalidArgument');
      expectTag(() => dequantizePerChannelS8At(k, rq!, outside, 3, 4, rs!, rz!), 'InvalidArgument');
      expectTag(() => dequantizePerChannelS8At(k, rq!, rx!, 3, 4, rs!, outside), 'InvalidArgument');
      // bad values inside valid regions
      k.arena.f32(rs!, 4)[2] = 0;
      expectTag(() => quantizePerChannelF32At(k, rx!, rq!, 3, 4, rs!, rz!), 'InvalidArgument');
      expectTag(() => quantizeWeightsPerChannelAt(k, rx!, rq!, 3, 4, rs!), 'InvalidArgument');
      k.arena.f32(rs!, 4)[2] = Number.NaN;
      expectTag(() => dequantizePerChannelS8At(k, rq!, rx!, 3, 4, rs!, rz!), 'InvalidArgument');
      k.arena.f32(rs!, 4)[2] = 0.1;
      k.arena.i32(rz!, 4)[1] = -200;
      expectTag(() => quantizePerChannelF32At(k, rx!, rq!, 3, 4, rs!, rz!), 'InvalidArgument');
      expectTag(() => dequantizePerChannelS8At(k, rq!, rx!, 3, 4, rs!, rz!), 'InvalidArgument');
    });
    const freed = k.arena.alloc(64);
    k.arena.free(freed);
    expectTag(() => minMaxF32At(k, freed, 4, freed), 'InvalidArgument');

    expect(k.arena.liveCount).toBe(before);
  });

  it('leaves no arena region behind after the copying wrappers', async () => {
    const k = await loadKernels({ build });
    const before = k.arena.liveCount;
    const p = channelParams(17, 1);
    const x = randomF32(17 * 5, 2, 1);
    minMaxF32(k, x);
    histogramF32(k, x, { lo: -1, hi: 1, bins: 10 });
    histogramF32(k, x, { lo: -1, hi: 1, bins: 10 }, new Uint32Array(10));
    const q = quantizePerChannelF32(k, x, 5, 17, p);
    quantizeWeightsPerChannel(k, x, 5, 17, p.scales);
    dequantizePerChannelS8(k, q, 5, 17, p);
    expect(k.arena.liveCount).toBe(before);
  });
});

describe('weightScalesPerChannel', () => {
  it('is max |w[:, c]| / 127 in float32, with the documented floor for all-zero channels', () => {
    const w = Float32Array.of(0.5, 0, -1e-40, 3, -2.54, 0, 0, -127, 1, 0, 1e-40, 0.0001);
    const s = weightScalesPerChannel(w, 3, 4);
    expect(Array.from(s)).toEqual([
      Math.fround(Math.fround(2.54) / 127),
      WEIGHT_SCALE_FLOOR,
      WEIGHT_SCALE_FLOOR,
      Math.fround(127 / 127),
    ]);
    expect(s.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    expect(weightScalesPerChannel(new Float32Array(0), 0, 3)).toEqual(new Float32Array(3).fill(WEIGHT_SCALE_FLOOR));
  });
});
