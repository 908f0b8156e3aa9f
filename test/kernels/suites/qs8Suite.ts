/**
 * The int8 kernel suite: every int8 kernel against its JS reference over a sweep of shapes (odd
 * sizes, channel counts not multiples of 8 or 16, stride 2, padding, dilation, batch > 1), bit for
 * bit. Registered by the Node tests for every build and by the browser tests in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import type { ConvGeometry } from '../../../src/kernels/convGeometry.js';
import type { KernelBuild } from '../../../src/kernels/capabilities.js';
import { loadKernels, type KernelModule } from '../../../src/kernels/loader.js';
import type { Runner } from '../../../src/kernels/parallel.js';
import { conv1dAsConv2d, gemmAsConv2d, qs8Conv2d, type Qs8ConvSpec } from '../../../src/kernels/qs8Conv.js';
import { qs8Depthwise } from '../../../src/kernels/qs8Depthwise.js';
import { qs8Add, qs8AvgPool, qs8GlobalAvgPool, qs8MaxPool, globalPoolGeometry } from '../../../src/kernels/qs8Pool.js';
import { refQs8Add } from '../../../src/kernels/reference/qs8Add.js';
import { refQs8Conv2d } from '../../../src/kernels/reference/qs8Conv.js';
import { refQs8Depthwise } from '../../../src/kernels/reference/qs8Depthwise.js';
import { refQs8AvgPool, refQs8MaxPool } from '../../../src/kernels/reference/qs8Pool.js';

type Geo = Omit<ConvGeometry, 'dilation'> & { dilation?: readonly [number, number] };
const geo = (g: Geo): ConvGeometry => ({ dilation: [1, 1], ...g });

/** Conv shapes of the sweep: [geometry, cout]. */
export const CONV_CASES: readonly [Geo, number][] = [
  [{ inShape: [1, 5, 7, 3], kernel: [3, 3], stride: [1, 1], padding: 'same' }, 5],
  [{ inShape: [2, 9, 6, 17], kernel: [3, 3], stride: [2, 2], padding: 'same' }, 19],
  [{ inShape: [1, 8, 8, 4], kernel: [3, 2], stride: [1, 2], dilation: [2, 2], padding: 'valid' }, 8],
  [{ inShape: [3, 6, 5, 33], kernel: [1, 1], stride: [1, 1], padding: 'valid' }, 20],
  [{ inShape: [1, 7, 7, 16], kernel: [5, 5], stride: [2, 2], padding: 'same' }, 9],
  [{ inShape: [2, 4, 13, 1], kernel: [3, 3], stride: [1, 1], padding: 'same' }, 1],
  [{ inShape: [1, 3, 3, 2], kernel: [3, 3], stride: [1, 1], padding: 'valid' }, 3],
  // a conv1d with the longest kernel of the contract (64), strided
  [{ inShape: [2, 1, 150, 5], kernel: [1, 64], stride: [1, 4], padding: 'same' }, 6],
];

const ints = (rng: ReturnType<typeof createRng>, n: number, lo: number, hi: number): Int8Array =>
  Int8Array.from({ length: n }, () => lo + rng.int(hi - lo + 1));

/**
 * A random conv spec over a geometry, with weights in range and realistic multipliers. Zero points
 * come from the whole int8 range (near ±128, x − zp is one-signed and up to 255); the bias carries
 * −zp_y / m, as a quantizer's would for outputs centred on 0, so the codes spread rather than clamp.
 */
export const randomConvSpec = (g: ConvGeometry, cout: number, seed: number, int4 = false): Qs8ConvSpec => {
  const rng = createRng(seed);
  const [kh, kw] = g.kernel;
  const cin = g.inShape[3];
  const weights = int4 ? ints(rng, kh * kw * cin * cout, -8, 7) : ints(rng, kh * kw * cin * cout, -127, 127);
  const xZeroPoint = rng.int(256) - 128;
  const yZeroPoint = rng.int(256) - 128;
  // around 1 / (typical |acc|), so outputs spread over the whole int8 range and clamp too
  const multipliers = Float32Array.from({ length: cout }, () =>
    Math.fround((0.5 + rng.uniform()) / (Math.sqrt(kh * kw * cin) * (int4 ? 6 : 90))),
  );
  return {
    ...g,
    cout,
    weights,
    bias: Int32Array.from(
      multipliers,
      (m) => rng.int(int4 ? 2001 : 20001) - (int4 ? 1000 : 10000) - Math.round(yZeroPoint / m),
    ),
    multipliers,
    xZeroPoint,
    yZeroPoint,
    clamp: [-120, 125],
    int4,
  };
};

/** Named runners (thread pools) a suite checks besides the module's serial runner. */
export type ExtraRunners = readonly (readonly [string, Runner])[];

/**
 * A loader of one build's module and its extra runners, made on first call and shared after: one
 * module and one set of pools per suite, not per test (each pool holds live workers).
 */
export const loadOnce = (
  build: KernelBuild,
  runners: (k: KernelModule) => Promise<ExtraRunners>,
): (() => Promise<{ k: KernelModule; extra: ExtraRunners }>) => {
  let loaded: Promise<{ k: KernelModule; extra: ExtraRunners }> | null = null;
  return () => {
    loaded ??= loadKernels({ build }).then(async (k) => ({ k, extra: await runners(k) }));
    return loaded;
  };
};

/** Registers the suite for one build; `runners` gives extra runners (thread pools) to check too. */
export const defineQs8Suite = (
  build: KernelBuild,
  runners: (k: KernelModule) => Promise<ExtraRunners> = async () => [],
): void => {
  describe(`int8 kernels agree with their references bit for bit (${build} build)`, () => {
    const load = loadOnce(build, runners);

    it.each(CONV_CASES.flatMap(([g, cout], i) => [[i, g, cout, false] as const, [i, g, cout, true] as const]))(
      'conv2d case %i %o → %i channels (int4 %s)',
      async (i, g, cout, int4) => {
        const { k, extra } = await load();
        const spec = randomConvSpec(geo(g), cout, 100 + i, int4);
        const x = ints(
          createRng(i),
          g.inShape.reduce((a, b) => a * b, 1),
          -128,
          127,
        );
        const expected = Array.from(refQs8Conv2d(x, spec.weights, cout, spec, { ...spec, clamp: spec.clamp! }));
        expect(new Set(expected).size).toBeGreaterThan(Math.min(10, expected.length / 2));
        expect(Array.from(qs8Conv2d(k, x, spec))).toEqual(expected);
        for (const [, r] of extra) expect(Array.from(qs8Conv2d(k, x, spec, r))).toEqual(expected);
      },
    );

    it('conv1d over signals (kernel 32, stride 8, 28 channels) is the height-1 conv', async () => {
      const { k } = await load();
      const base = randomConvSpec(
        geo({ inShape: [2, 1, 200, 28], kernel: [1, 32], stride: [1, 8], padding: 'same' }),
        12,
        7,
      );
      const { dilation: _d, ...rest } = base;
      const spec = conv1dAsConv2d({ ...rest, inShape: [2, 200, 28], kernel: 32, stride: 8 });
      const x = ints(createRng(8), 2 * 200 * 28, -128, 127);
      expect(Array.from(qs8Conv2d(k, x, spec))).toEqual(
        Array.from(refQs8Conv2d(x, spec.weights, 12, spec, { ...spec, clamp: spec.clamp! })),
      );
    });

    it('GEMM 37×29×21 is the 1×1 conv over rows', async () => {
      const { k, extra } = await load();
      const base = randomConvSpec(
        geo({ inShape: [1, 1, 37, 29], kernel: [1, 1], stride: [1, 1], padding: 'valid' }),
        21,
        9,
      );
      const spec = gemmAsConv2d({ ...base, m: 37, k: 29, n: 21 });
      const x = ints(createRng(10), 37 * 29, -128, 127);
      const expected = Array.from(refQs8Conv2d(x, spec.weights, 21, spec, { ...spec, clamp: spec.clamp! }));
      expect(Array.from(qs8Conv2d(k, x, spec))).toEqual(expected);
      for (const [, r] of extra) expect(Array.from(qs8Conv2d(k, x, spec, r))).toEqual(expected);
    });

    it.each([
      [[1, 9, 9, 20], 1],
      [[2, 8, 7, 64], 2],
      [[1, 5, 6, 3], 2],
      [[1, 16, 16, 17], 1],
    ] as const)('depthwise 3×3 on %o, stride %i', async (inShape, s) => {
      const { k, extra } = await load();
      const g = geo({ inShape, kernel: [3, 3], stride: [s, s], padding: 'same' });
      const c = inShape[3];
      const rng = createRng(c + s);
      const spec = {
        ...g,
        weights: ints(rng, 9 * c, -127, 127),
        bias: Int32Array.from({ length: c }, () => rng.int(2001) - 1000),
        multipliers: Float32Array.from({ length: c }, () => Math.fround(0.0005 + rng.uniform() * 0.002)),
        xZeroPoint: rng.int(256) - 128,
        yZeroPoint: rng.int(256) - 128,
        clamp: [-128, 127] as const,
      };
      const x = ints(
        rng,
        inShape.reduce((a: number, b: number) => a * b, 1),
        -128,
        127,
      );
      const expected = Array.from(refQs8Depthwise(x, spec.weights, g, spec));
      expect(new Set(expected).size).toBeGreaterThan(Math.min(20, expected.length / 3));
      expect(Array.from(qs8Depthwise(k, x, spec))).toEqual(expected);
      for (const [, r] of extra) expect(Array.from(qs8Depthwise(k, x, spec, r))).toEqual(expected);
    });

    const POOLS: readonly Geo[] = [
      { inShape: [1, 7, 7, 16], kernel: [2, 2], stride: [2, 2], padding: 'same' },
      { inShape: [2, 8, 5, 19], kernel: [3, 3], stride: [2, 2], padding: 'same' },
      { inShape: [1, 6, 6, 35], kernel: [3, 2], stride: [1, 1], padding: 'valid' },
    ];
    it.each(POOLS)('max pooling %o', async (g) => {
      const { k, extra } = await load();
      const x = ints(
        createRng(3),
        g.inShape.reduce((a, b) => a * b, 1),
        -128,
        127,
      );
      const expected = Array.from(refQs8MaxPool(x, geo(g)));
      expect(Array.from(qs8MaxPool(k, x, geo(g)))).toEqual(expected);
      for (const [, r] of extra) expect(Array.from(qs8MaxPool(k, x, geo(g), r))).toEqual(expected);
    });

    const PQ = { xScale: 0.05, xZeroPoint: -3, yScale: 0.04, yZeroPoint: 2 };
    it.each(POOLS)('average pooling %o (padding not counted)', async (g) => {
      const { k, extra } = await load();
      const x = ints(
        createRng(4),
        g.inShape.reduce((a, b) => a * b, 1),
        -128,
        127,
      );
      const expected = Array.from(refQs8AvgPool(x, geo(g), PQ));
      expect(Array.from(qs8AvgPool(k, x, geo(g), PQ))).toEqual(expected);
      for (const [, r] of extra) expect(Array.from(qs8AvgPool(k, x, geo(g), PQ, r))).toEqual(expected);
    });

    // A global pool has one output pixel per image: 5 images, so a 2- or 3-thread pool splits it.
    it('global average pooling [5, 9, 7, 21] → [5, 21]', async () => {
      const { k, extra } = await load();
      const shape = [5, 9, 7, 21] as const;
      const x = ints(createRng(5), 5 * 9 * 7 * 21, -128, 127);
      const expected = Array.from(refQs8AvgPool(x, globalPoolGeometry(shape), PQ));
      const y = qs8GlobalAvgPool(k, x, shape, PQ);
      expect(y.length).toBe(5 * 21);
      expect(Array.from(y)).toEqual(expected);
      for (const [, r] of extra) expect(Array.from(qs8GlobalAvgPool(k, x, shape, PQ, r))).toEqual(expected);
    });

    it.each([0, 1, 7, 8, 9, 1001])('requantized add of %i codes, with a ReLU clamp', async (n) => {
      const { k, extra } = await load();
      const rng = createRng(n + 50);
      const a = ints(rng, n, -128, 127);
      const b = ints(rng, n, -128, 127);
      const q = {
        aScale: 0.03,
        aZeroPoint: 5,
        bScale: 0.07,
        bZeroPoint: -9,
        yScale: 0.05,
        yZeroPoint: -20,
        clamp: [-20, 127] as const,
      };
      const expected = Array.from(refQs8Add(a, b, q));
      expect(Array.from(qs8Add(k, a, b, q))).toEqual(expected);
      for (const [, r] of extra) expect(Array.from(qs8Add(k, a, b, q, r))).toEqual(expected);
    });

    it('saturates rather than wraps when a multiplier overflows int32', async () => {
      const { k } = await load();
      const g = geo({ inShape: [1, 2, 2, 4], kernel: [1, 1], stride: [1, 1], padding: 'valid' });
      const spec = { ...randomConvSpec(g, 3, 1), multipliers: new Float32Array([1e9, 1e9, 1e-9]), clamp: undefined };
      const x = ints(createRng(1), 16, -128, 127);
      expect(Array.from(qs8Conv2d(k, x, spec))).toEqual(
        Array.from(refQs8Conv2d(x, spec.weights, 3, spec, { ...spec, clamp: [-128, 127] })),
      );
      const q = { aScale: 1e6, aZeroPoint: 0, bScale: 1e6, bZeroPoint: 0, yScale: 1e-6, yZeroPoint: 100 };
      const a = Int8Array.from([127, -128, 0, 1, 5, 6, 7, 8, 9]);
      expect(Array.from(qs8Add(k, a, a, q))).toEqual(Array.from(refQs8Add(a, a, q)));
    });

    it('leaves no arena region behind', async () => {
      const { k } = await load();
      const before = k.arena.liveCount;
      const [g, cout] = CONV_CASES[1]!;
      qs8Conv2d(k, new Int8Array(g.inShape.reduce((a, b) => a * b, 1)), randomConvSpec(geo(g), cout, 1));
      expect(k.arena.liveCount).toBe(before);
    });
  });
};
