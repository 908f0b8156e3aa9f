/** Every int8 wrapper refuses bad input with a typed error before anything reaches wasm. */
import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import {
  gemmAsConv2d,
  planQs8Conv2d,
  qs8ConvScratchBytes,
  qs8Conv2d,
  runQs8Conv2dAt,
  disposeQs8Conv2d,
  type Qs8ConvSpec,
} from '../../src/kernels/qs8Conv.js';
import { qs8Depthwise } from '../../src/kernels/qs8Depthwise.js';
import { qs8Add, qs8AvgPool, qs8MaxPool } from '../../src/kernels/qs8Pool.js';
import { thrown } from '../support/thrown.js';

const base = (): Qs8ConvSpec => ({
  inShape: [1, 4, 4, 3],
  kernel: [3, 3],
  stride: [1, 1],
  dilation: [1, 1],
  padding: 'same',
  cout: 2,
  weights: new Int8Array(3 * 3 * 3 * 2),
  bias: new Int32Array(2),
  multipliers: new Float32Array([0.01, 0.02]),
  xZeroPoint: 0,
  yZeroPoint: 0,
});

const tagOf = (e: unknown): string => (isKapriError(e) ? e.tag : `not a KapriError: ${String(e)}`);

describe('int8 conv wrappers refuse bad input', () => {
  const BAD: readonly [string, Partial<Qs8ConvSpec> | Record<string, unknown>, string, RegExp][] = [
    ['a 3-d input shape', { inShape: [4, 4, 3] }, 'InvalidShape', /inShape/],
    ['a zero dimension', { inShape: [1, 0, 4, 3] }, 'InvalidArgument', /inShape\[1\]/],
    ['a fractional stride', { stride: [1.5, 1] }, 'InvalidArgument', /stride\[0\]/],
    ['a zero dilation', { dilation: [0, 1] }, 'InvalidArgument', /dilation\[0\]/],
    ['an unknown padding', { padding: 'reflect' }, 'InvalidArgument', /padding/],
    ['weights of the wrong length', { weights: new Int8Array(5) }, 'InvalidShape', /weights must have 54/],
    ['float weights', { weights: new Float32Array(54) }, 'InvalidShape', /weights must be a Int8Array/],
    ['a bias of the wrong dtype', { bias: new Float32Array(2) }, 'InvalidShape', /bias/],
    ['a zero multiplier', { multipliers: new Float32Array([0.01, 0]) }, 'InvalidArgument', /multipliers\[1\]/],
    ['a NaN multiplier', { multipliers: new Float32Array([Number.NaN, 0.01]) }, 'InvalidArgument', /multipliers\[0\]/],
    ['an input zero point out of range', { xZeroPoint: 128 }, 'InvalidArgument', /xZeroPoint/],
    ['a fractional output zero point', { yZeroPoint: 0.5 }, 'InvalidArgument', /yZeroPoint/],
    ['clamps with lo > hi', { clamp: [10, -10] }, 'InvalidArgument', /lo ≤ hi/],
    [
      'a window larger than a valid input',
      { kernel: [5, 5], padding: 'valid', weights: new Int8Array(5 * 5 * 3 * 2) },
      'InvalidShape',
      /does not fit/,
    ],
    [
      'int4 weights outside [-8, 7]',
      { int4: true, weights: new Int8Array(54).fill(9) },
      'InvalidArgument',
      /int4 weight 9/,
    ],
  ];

  it.each(BAD)('%s', async (_, patch, tag, message) => {
    const k = await loadKernels({ build: 'simd' });
    const before = k.arena.liveCount;
    const e = thrown(() => qs8Conv2d(k, new Int8Array(48), { ...base(), ...patch } as Qs8ConvSpec));
    expect(tagOf(e)).toBe(tag);
    expect((e as Error).message).toMatch(message);
    expect(k.arena.liveCount).toBe(before);
  });

  it('an input of the wrong length', async () => {
    const k = await loadKernels({ build: 'simd' });
    const e = thrown(() => qs8Conv2d(k, new Int8Array(47), base()));
    expect(tagOf(e)).toBe('InvalidShape');
    expect((e as Error).message).toMatch(/x must have 48 elements/);
  });

  it('a reduction that could overflow int32', async () => {
    const k = await loadKernels({ build: 'simd' });
    const spec = gemmAsConv2d({
      m: 1,
      k: 70000,
      n: 1,
      weights: new Int8Array(70000),
      bias: new Int32Array(1),
      multipliers: new Float32Array([1]),
      xZeroPoint: 0,
      yZeroPoint: 0,
    });
    expect(tagOf(thrown(() => planQs8Conv2d(k, spec)))).toBe('Unsupported');
  });

  it('regions that do not lie inside the arena, or are too small', async () => {
    const k = await loadKernels({ build: 'simd' });
    const plan = planQs8Conv2d(k, base());
    const x = k.arena.alloc(48);
    const small = k.arena.alloc(8);
    try {
      expect(tagOf(thrown(() => runQs8Conv2dAt(k, plan, { ptr: 1 << 30, bytes: 48 }, small)))).toBe('InvalidArgument');
      expect((thrown(() => runQs8Conv2dAt(k, plan, x, small)) as Error).message).toMatch(/y: 32 bytes/);
      k.arena.free(small);
      // a freed region is no longer live
      expect(tagOf(thrown(() => runQs8Conv2dAt(k, plan, x, small)))).toBe('InvalidArgument');
    } finally {
      k.arena.free(x);
      disposeQs8Conv2d(k, plan);
    }
  });
});

describe('a lent scratch', () => {
  it('is used by the plan and left alone by dispose', async () => {
    const k = await loadKernels({ build: 'simd' });
    const scratch = k.arena.alloc(qs8ConvScratchBytes(base()));
    const plan = planQs8Conv2d(k, base(), { scratch });
    expect(plan.scratch).toBe(scratch);
    disposeQs8Conv2d(k, plan);
    expect(k.arena.contains(scratch.ptr, scratch.bytes)).toBe(true);
    k.arena.free(scratch);
  });

  it('that is too small is refused before anything is allocated', async () => {
    const k = await loadKernels({ build: 'simd' });
    const scratch = k.arena.alloc(qs8ConvScratchBytes(base()) - 2);
    const before = k.arena.liveCount;
    const e = thrown(() => planQs8Conv2d(k, base(), { scratch }));
    expect(tagOf(e)).toBe('InvalidArgument');
    expect((e as Error).message).toMatch(/scratch/);
    expect(k.arena.liveCount).toBe(before);
    k.arena.free(scratch);
  });
});

describe('depthwise, pooling and add wrappers refuse bad input', () => {
  const geo = {
    inShape: [1, 4, 4, 8] as const,
    kernel: [3, 3] as const,
    stride: [1, 1] as const,
    dilation: [1, 1] as const,
    padding: 'same' as const,
  };
  const dw = {
    ...geo,
    weights: new Int8Array(72),
    bias: new Int32Array(8),
    multipliers: new Float32Array(8).fill(0.01),
    xZeroPoint: 0,
    yZeroPoint: 0,
  };

  it('depthwise weights of the wrong length', async () => {
    const k = await loadKernels({ build: 'simd' });
    expect(
      (thrown(() => qs8Depthwise(k, new Int8Array(128), { ...dw, weights: new Int8Array(71) })) as Error).message,
    ).toMatch(/weights must have 72/);
  });

  it.each([0, 1.5, -2, 65, Number.NaN])('a depth multiplier of %s', async (m) => {
    const k = await loadKernels({ build: 'simd' });
    const e = thrown(() => qs8Depthwise(k, new Int8Array(128), { ...dw, depthMultiplier: m }));
    expect(tagOf(e)).toBe('InvalidArgument');
    expect((e as Error).message).toMatch(/depthMultiplier must be an integer in \[1, 64\]/);
  });

  it('depthwise weights, biases and multipliers sized for the input channels when the multiplier is 2', async () => {
    const k = await loadKernels({ build: 'simd' });
    const m2 = { ...dw, depthMultiplier: 2 };
    expect((thrown(() => qs8Depthwise(k, new Int8Array(128), m2)) as Error).message).toMatch(/weights must have 144/);
    const w = { ...m2, weights: new Int8Array(144) };
    expect((thrown(() => qs8Depthwise(k, new Int8Array(128), w)) as Error).message).toMatch(/bias must have 16/);
  });

  it('depthwise dilation of zero or a window dilated past a valid input', async () => {
    const k = await loadKernels({ build: 'simd' });
    expect(tagOf(thrown(() => qs8Depthwise(k, new Int8Array(128), { ...dw, dilation: [0, 1] })))).toBe(
      'InvalidArgument',
    );
    const e = thrown(() => qs8Depthwise(k, new Int8Array(128), { ...dw, dilation: [2, 2], padding: 'valid' }));
    expect(tagOf(e)).toBe('InvalidShape');
  });

  it('pooling an input of the wrong length', async () => {
    const k = await loadKernels({ build: 'simd' });
    expect(tagOf(thrown(() => qs8MaxPool(k, new Int8Array(127), geo)))).toBe('InvalidShape');
  });

  it('average pooling with a non-positive scale', async () => {
    const k = await loadKernels({ build: 'simd' });
    const e = thrown(() =>
      qs8AvgPool(k, new Int8Array(128), geo, { xScale: -1, xZeroPoint: 0, yScale: 1, yZeroPoint: 0 }),
    );
    expect(tagOf(e)).toBe('InvalidArgument');
    expect((e as Error).message).toMatch(/xScale/);
  });

  it('adding arrays of different lengths or dtypes', async () => {
    const k = await loadKernels({ build: 'simd' });
    const q = { aScale: 1, aZeroPoint: 0, bScale: 1, bZeroPoint: 0, yScale: 1, yZeroPoint: 0 };
    expect(tagOf(thrown(() => qs8Add(k, new Int8Array(3), new Int8Array(4), q)))).toBe('InvalidShape');
    expect(tagOf(thrown(() => qs8Add(k, new Uint8Array(3) as unknown as Int8Array, new Int8Array(3), q)))).toBe(
      'InvalidShape',
    );
    expect(tagOf(thrown(() => qs8Add(k, new Int8Array(3), new Int8Array(3), { ...q, yScale: Infinity })))).toBe(
      'InvalidArgument',
    );
  });
});
