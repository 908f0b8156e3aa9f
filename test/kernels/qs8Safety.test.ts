/**
 * Kernel boundaries under hostile arguments (issue 14, item 8 and the kernel side of item 2):
 * typed errors for missing specs, accumulators (bias included) that cannot wrap, runners and plans
 * that belong to their module, float32 sums that cannot overflow, and pooling windows of any size.
 */
import { describe, expect, it } from 'vitest';
import { KapriError } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { serialRunner } from '../../src/kernels/parallel.js';
import {
  disposeQs8Conv2d,
  planQs8Conv2d,
  qs8Conv2d,
  runQs8Conv2dAt,
  type Qs8ConvSpec,
} from '../../src/kernels/qs8Conv.js';
import { planQs8Depthwise, qs8Depthwise } from '../../src/kernels/qs8Depthwise.js';
import { qs8Add, qs8AvgPool, qs8GlobalAvgPool, qs8MaxPool } from '../../src/kernels/qs8Pool.js';
import { quantizeF32 } from '../../src/kernels/qs8Quantize.js';
import { refQs8MaxPool } from '../../src/kernels/reference/qs8Pool.js';
import { thrown as thrownBy } from '../support/thrown.js';

const thrown = (f: () => unknown): KapriError => {
  const e = thrownBy(f);
  expect(e).toBeInstanceOf(KapriError);
  return e as KapriError;
};

const spec = (bias: number): Qs8ConvSpec => ({
  inShape: [1, 1, 1, 4],
  kernel: [1, 1],
  stride: [1, 1],
  dilation: [1, 1],
  padding: 'valid',
  cout: 1,
  weights: new Int8Array([127, 127, 127, 127]),
  bias: new Int32Array([bias]),
  multipliers: new Float32Array([1e-7]),
  xZeroPoint: 0,
  yZeroPoint: 0,
});

describe('kernel boundaries', () => {
  it('gives typed errors, not TypeErrors, for a missing spec or quantization', async () => {
    const k = await loadKernels({ build: 'simd' });
    const x = new Int8Array(16);
    for (const f of [
      () => qs8Conv2d(k, x, undefined as never),
      () => qs8Depthwise(k, x, null as never),
      () => qs8MaxPool(k, x, undefined as never),
      () => qs8Add(k, x, x, undefined as never),
      () => quantizeF32(k, new Float32Array(4), undefined as never),
    ]) {
      expect(thrown(f).tag).toBe('InvalidArgument');
    }
    expect(thrown(() => qs8Conv2d(k, x, undefined as never)).message).toMatch(/spec must be an object, got undefined/);
  });

  it('bounds the bias with the weights: an accumulator that could wrap is refused at plan time', async () => {
    const k = await loadKernels({ build: 'simd' });
    // 4 terms of up to 128·127 and a bias near 2³¹ − 1: the sum wraps to a large negative code.
    const e = thrown(() => planQs8Conv2d(k, spec(2 ** 31 - 1000)));
    expect(e.message).toMatch(
      /bias\[0\] = 2147482648 with weights of Σ\|w\| = 508 could overflow the int32 accumulator: \|bias\| \+ 128·Σ\|w\| must be at most 2147483647/,
    );
    // at the bound it plans and gives the exact (unwrapped) result
    const bias = 2 ** 31 - 1 - 128 * 508;
    const y = qs8Conv2d(k, new Int8Array([127, 127, 127, 127]), {
      ...spec(bias),
      multipliers: new Float32Array([5e-8]),
    });
    expect(y[0]).toBe(107); // (2147483139 · 5e-8), not the wrapped negative code
    const dw = {
      inShape: [1, 3, 3, 1] as const,
      kernel: [3, 3] as const,
      stride: [1, 1] as const,
      dilation: [1, 1] as const,
      padding: 'same' as const,
    };
    expect(() =>
      planQs8Depthwise(k, {
        ...dw,
        weights: new Int8Array(9).fill(-128),
        bias: new Int32Array([-(2 ** 31) + 10]),
        multipliers: new Float32Array([1e-3]),
        xZeroPoint: 0,
        yZeroPoint: 0,
      }),
    ).toThrow(/could overflow the int32 accumulator/);
  });

  it('refuses to run a plan with a runner or on a module other than its own', async () => {
    const a = await loadKernels({ build: 'simd' });
    const b = await loadKernels({ build: 'simd' });
    const plan = planQs8Conv2d(a, spec(0));
    const x = a.arena.alloc(4);
    const y = a.arena.alloc(1);
    try {
      expect(thrown(() => runQs8Conv2dAt(a, plan, x, y, serialRunner(b))).message).toMatch(
        /this runner belongs to a 'simd' module loaded separately/,
      );
      expect(thrown(() => runQs8Conv2dAt(b, plan, x, y)).message).toMatch(
        /this plan was made on another kernel module/,
      );
      runQs8Conv2dAt(a, plan, x, y, serialRunner(a));
    } finally {
      a.arena.free(x);
      a.arena.free(y);
      disposeQs8Conv2d(a, plan);
    }
  });

  it('refuses scales whose float32 is subnormal or infinite', async () => {
    const k = await loadKernels({ build: 'simd' });
    for (const scale of [1e-40, 3.5e38]) {
      expect(thrown(() => quantizeF32(k, new Float32Array(4), { scale, zeroPoint: 0 })).message).toMatch(
        /scale must be a positive normal float32/,
      );
    }
  });

  it('refuses an add whose float32 sum could overflow', async () => {
    const k = await loadKernels({ build: 'simd' });
    const a = new Int8Array([-128, 127]);
    const q = { aScale: 1e30, aZeroPoint: 0, bScale: 1e30, bZeroPoint: 0, yScale: 1e-7, yZeroPoint: 5 };
    expect(thrown(() => qs8Add(k, a, a, q)).message).toMatch(/let the float32 sum overflow/);
  });

  it('refuses an average whose int32 sum could wrap (more than 8,421,504 positions at zero point 127)', async () => {
    const k = await loadKernels({ build: 'simd' });
    const side = 2902;
    const x = new Int8Array(side * side).fill(-128);
    const e = thrown(() =>
      qs8GlobalAvgPool(k, x, [1, side, side, 1], { xScale: 1, xZeroPoint: 127, yScale: 1, yZeroPoint: 0 }),
    );
    expect(e.message).toMatch(
      /an average over 8421604 positions could overflow the int32 sum \(at most 8421504 positions\)/,
    );
    // within the bound the kernel gives the exact average
    expect(
      Array.from(
        qs8AvgPool(
          k,
          x.subarray(0, 2900 * 2900),
          { inShape: [1, 2900, 2900, 1], kernel: [2900, 2900], stride: [1, 1], dilation: [1, 1], padding: 'valid' },
          { xScale: 1, xZeroPoint: 127, yScale: 1, yZeroPoint: 0 },
        ),
      ),
    ).toEqual([-128]);
  });

  it('the reference pools a window of 250,000 positions without a RangeError', () => {
    const x = Int8Array.from({ length: 500 * 500 }, (_, i) => (i === 123_456 ? 99 : -5));
    expect(
      Array.from(
        refQs8MaxPool(x, {
          inShape: [1, 500, 500, 1],
          kernel: [500, 500],
          stride: [1, 1],
          dilation: [1, 1],
          padding: 'valid',
        }),
      ),
    ).toEqual([99]);
  });
});
