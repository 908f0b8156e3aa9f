import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/loader.js';
import { dequantizeS8, dotS8, quantizeF32, quantizeF32At } from '../../src/kernels/qs8Quantize.js';
import { refDequantizeS8, refQuantizeF32 } from '../../src/kernels/reference/qs8Quantize.js';
import { refDotS8 } from '../../src/kernels/reference/qs8Dot.js';
import { roundHalfEven } from '../../src/kernels/reference/rounding.js';
import { expectTag, randomF32, randomI8 } from '../support/values.js';

const LENGTHS = [0, 1, 15, 16, 17, 63, 1000];

describe('roundHalfEven', () => {
  it('rounds halves to the even neighbour and everything else to nearest', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });
});

describe.each(['simd', 'relaxed', 'threads'] as const)('qs8 quantize/dequantize/dot (%s build)', (build) => {
  it.each(LENGTHS)('quantizes %i floats bit-exactly like the reference, saturating out-of-range values', async (n) => {
    const k = await loadKernels({ build });
    const x = randomF32(n, n, 2);
    // exact halves exercise half-to-even rounding
    for (let i = 0; i < n; i += 5) x[i] = (Math.floor(x[i]! * 50) + 0.5) / 50;
    expect(Array.from(quantizeF32(k, x, { scale: 0.02, zeroPoint: -7 }))).toEqual(
      Array.from(refQuantizeF32(x, 0.02, -7)),
    );
  });

  it('quantizes NaN to 0 and ±Infinity to the clamps, like the reference', async () => {
    const k = await loadKernels({ build });
    const x = new Float32Array(20).fill(Number.NaN);
    x[1] = Infinity;
    x[18] = -Infinity;
    x[19] = Number.NaN;
    expect(Array.from(quantizeF32(k, x, { scale: 0.1, zeroPoint: 5 }))).toEqual(Array.from(refQuantizeF32(x, 0.1, 5)));
  });

  it.each(LENGTHS)('dequantizes %i int8 bit-exactly like the reference', async (n) => {
    const k = await loadKernels({ build });
    const q = randomI8(n, n + 1);
    expect(Array.from(dequantizeS8(k, q, { scale: 0.037, zeroPoint: 11 }))).toEqual(
      Array.from(refDequantizeS8(q, 0.037, 11)),
    );
  });

  it.each(LENGTHS)('computes the exact int8 dot of length %i', async (n) => {
    const k = await loadKernels({ build });
    const a = randomI8(n, 3 * n);
    const b = randomI8(n, 3 * n + 1);
    expect(dotS8(k, a, b)).toBe(refDotS8(a, b));
  });

  it('leaves no arena region behind after the copying wrappers', async () => {
    const k = await loadKernels({ build });
    const before = k.arena.liveCount;
    quantizeF32(k, randomF32(100, 1, 1), { scale: 0.1, zeroPoint: 0 });
    dotS8(k, randomI8(40, 1), randomI8(40, 2));
    expect(k.arena.liveCount).toBe(before);
  });
});

describe('qs8 wrappers refuse bad input before calling wasm', () => {
  it.each([0, -1, Number.NaN, Infinity])('refuses scale %s', async (scale) => {
    const k = await loadKernels({ build: 'simd' });
    expectTag(() => quantizeF32(k, new Float32Array(4), { scale, zeroPoint: 0 }), 'InvalidArgument');
  });

  it.each([128, -129, 0.5])('refuses zero point %s', async (zeroPoint) => {
    const k = await loadKernels({ build: 'simd' });
    expectTag(() => quantizeF32(k, new Float32Array(4), { scale: 1, zeroPoint }), 'InvalidArgument');
  });

  it('refuses a Float64Array where a Float32Array is expected', async () => {
    const k = await loadKernels({ build: 'simd' });
    expectTag(
      () => quantizeF32(k, new Float64Array(4) as unknown as Float32Array, { scale: 1, zeroPoint: 0 }),
      'InvalidShape',
    );
  });

  it('refuses dot operands of different lengths', async () => {
    const k = await loadKernels({ build: 'simd' });
    expectTag(() => dotS8(k, new Int8Array(4), new Int8Array(5)), 'InvalidShape');
  });

  it('refuses regions that do not lie inside the arena', async () => {
    const k = await loadKernels({ build: 'simd' });
    const x = k.arena.alloc(64);
    expectTag(
      () => quantizeF32At(k, x, { ptr: 1 << 30, bytes: 16 }, 16, { scale: 1, zeroPoint: 0 }),
      'InvalidArgument',
    );
    expectTag(() => quantizeF32At(k, x, x, 32, { scale: 1, zeroPoint: 0 }), 'InvalidArgument');
    k.arena.free(x);
  });
});
