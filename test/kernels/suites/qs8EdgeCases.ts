/**
 * Edge cases of the int8 kernels that random shapes almost never reach, each a kernel call and its
 * JS reference, to compare bit for bit (test/kernels/suites/qs8EdgeSuite.ts) in every build, Node and
 * Chromium:
 * - the general kh×kw depthwise path (non-3×3 windows, strides, asymmetric padding);
 * - depthwise depth multipliers 1, 2, 3 and dilations 1, 2, with strides and both paddings;
 * - zero points at the ends of [−128, 127];
 * - exact requantization ties: power-of-two multipliers (and scales) with accumulators whose
 *   products land on k + 0.5, so a kernel that rounded half away from zero would disagree;
 * - accumulators in 2^24..2^30 placed a few units off a tie, where float32 rounding of the
 *   accumulator (the contract) and exact arithmetic give different codes.
 * test/kernels/qs8EdgeSensitivity.test.ts checks that the tie and large-accumulator cases do tell
 * those roundings apart.
 */
import { createRng, type Rng } from '../../../src/core/rng.js';
import type { ConvGeometry } from '../../../src/kernels/convGeometry.js';
import type { KernelModule } from '../../../src/kernels/loader.js';
import type { Runner } from '../../../src/kernels/parallel.js';
import { gemmAsConv2d, qs8Conv2d, type Qs8ConvSpec } from '../../../src/kernels/qs8Conv.js';
import { qs8Depthwise, type Qs8DepthwiseSpec } from '../../../src/kernels/qs8Depthwise.js';
import { globalPoolGeometry, qs8Add, qs8AvgPool, qs8GlobalAvgPool } from '../../../src/kernels/qs8Pool.js';
import { refQs8Add, type AddQuant } from '../../../src/kernels/reference/qs8Add.js';
import { refQs8Conv2d } from '../../../src/kernels/reference/qs8Conv.js';
import { refQs8Depthwise } from '../../../src/kernels/reference/qs8Depthwise.js';
import { refQs8AvgPool, type PoolQuant } from '../../../src/kernels/reference/qs8Pool.js';

/** One kernel call and its reference over the same data. */
export interface EdgeCase {
  readonly name: string;
  /** The kernel's codes, on one thread or on `runner`. */
  run(k: KernelModule, runner?: Runner): Int8Array;
  /** The reference's codes. */
  reference(): Int8Array;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const ints = (rng: Rng, n: number, lo: number, hi: number): Int8Array =>
  Int8Array.from({ length: n }, () => lo + rng.int(hi - lo + 1));
/** A zero point anywhere in [−128, 127]. */
const zeroPoint = (rng: Rng): number => rng.int(256) - 128;
/** Codes within ±spread of zp, clamped to int8: small accumulators, so small multipliers are not needed. */
const nearZeroPoint = (rng: Rng, n: number, zp: number, spread: number): Int8Array =>
  Int8Array.from({ length: n }, () => Math.max(-128, Math.min(127, zp + rng.int(2 * spread + 1) - spread)));
const geo = (
  inShape: readonly [number, number, number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: 'same' | 'valid',
): ConvGeometry => ({ inShape, kernel, stride, dilation: [1, 1], padding });

const convCase = (name: string, spec: Qs8ConvSpec, x: Int8Array): EdgeCase => ({
  name,
  run: (k, r) => qs8Conv2d(k, x, spec, r),
  reference: () => refQs8Conv2d(x, spec.weights, spec.cout, spec, { ...spec, clamp: spec.clamp ?? [-128, 127] }),
});

const depthwiseCase = (name: string, spec: Qs8DepthwiseSpec, x: Int8Array): EdgeCase => ({
  name,
  run: (k, r) => qs8Depthwise(k, x, spec, r),
  reference: () => refQs8Depthwise(x, spec.weights, spec, { ...spec, clamp: spec.clamp ?? [-128, 127] }),
});

const avgPoolCase = (name: string, g: ConvGeometry, q: PoolQuant, x: Int8Array): EdgeCase => ({
  name,
  run: (k, r) => qs8AvgPool(k, x, g, q, r),
  reference: () => refQs8AvgPool(x, g, q),
});

const globalPoolCase = (
  name: string,
  shape: readonly [number, number, number, number],
  q: PoolQuant,
  x: Int8Array,
): EdgeCase => ({
  name,
  run: (k, r) => qs8GlobalAvgPool(k, x, shape, q, r),
  reference: () => refQs8AvgPool(x, globalPoolGeometry(shape), q),
});

const addCase = (name: string, q: AddQuant, a: Int8Array, b: Int8Array): EdgeCase => ({
  name,
  run: (k, r) => qs8Add(k, a, b, q, r),
  reference: () => refQs8Add(a, b, q),
});

/** Depthwise weights, bias and multipliers that spread the outputs over the int8 range. */
const depthwiseSpec = (
  g: ConvGeometry,
  rng: Rng,
  xZeroPoint: number,
  yZeroPoint: number,
  depthMultiplier = 1,
): Qs8DepthwiseSpec => {
  const [kh, kw] = g.kernel;
  const c = g.inShape[3] * depthMultiplier;
  return {
    ...g,
    ...(depthMultiplier === 1 ? {} : { depthMultiplier }),
    weights: ints(rng, kh * kw * c, -127, 127),
    bias: Int32Array.from({ length: c }, () => rng.int(20001) - 10000),
    multipliers: Float32Array.from({ length: c }, () =>
      Math.fround((0.5 + rng.uniform()) / (Math.sqrt(kh * kw) * 120)),
    ),
    xZeroPoint,
    yZeroPoint,
  };
};

/** Non-3×3 windows, strides and paddings of the general depthwise path (and a 3×3 at stride 3). */
export const DEPTHWISE_GEOMETRIES: readonly ConvGeometry[] = [
  geo([1, 9, 11, 13], [5, 5], [1, 1], 'same'),
  geo([2, 8, 7, 20], [3, 2], [2, 1], 'same'),
  geo([1, 6, 17, 9], [1, 7], [1, 3], 'valid'),
  geo([1, 10, 10, 16], [2, 2], [2, 2], 'valid'),
  geo([1, 12, 13, 24], [7, 7], [2, 2], 'same'),
  geo([3, 5, 6, 8], [4, 4], [1, 1], 'same'),
  geo([1, 9, 8, 7], [2, 5], [3, 2], 'same'),
  geo([1, 7, 7, 17], [3, 3], [3, 3], 'valid'),
];

/** The general depthwise path, zero points drawn from the whole int8 range. */
export const depthwiseCases = (): EdgeCase[] =>
  DEPTHWISE_GEOMETRIES.map((g, i) => {
    const rng = createRng(300 + i);
    const spec = depthwiseSpec(g, rng, zeroPoint(rng), zeroPoint(rng));
    const name = `depthwise ${g.kernel.join('×')} stride ${g.stride.join('×')} '${g.padding}' on ${g.inShape.join('×')} (zero points ${spec.xZeroPoint}, ${spec.yZeroPoint})`;
    return depthwiseCase(name, spec, ints(rng, size(g.inShape), -128, 127));
  });

/**
 * Depth multipliers 1–3 × dilations 1–2 on 3×3 (the dedicated path) and other windows (the general
 * one), with strides and both paddings; channel counts that leave partial groups of 8 outputs.
 */
export const depthwiseMultiplierDilationCases = (): EdgeCase[] => {
  const cases: EdgeCase[] = [];
  const shapes: readonly [ConvGeometry['inShape'], ConvGeometry['kernel'], ConvGeometry['stride'], 'same' | 'valid'][] =
    [
      [[1, 11, 10, 8], [3, 3], [1, 1], 'same'],
      [[2, 12, 9, 5], [3, 3], [2, 2], 'valid'],
      [[1, 13, 12, 3], [3, 3], [2, 1], 'same'],
      [[1, 12, 11, 7], [5, 3], [1, 2], 'same'],
      [[1, 14, 13, 6], [2, 4], [2, 2], 'valid'],
    ];
  let seed = 500;
  for (const m of [1, 2, 3])
    for (const d of [1, 2])
      for (const [inShape, kernel, stride, padding] of shapes) {
        const rng = createRng(seed++);
        const g: ConvGeometry = { inShape, kernel, stride, dilation: [d, d], padding };
        const spec = depthwiseSpec(g, rng, zeroPoint(rng), zeroPoint(rng), m);
        const name = `depthwise ${kernel.join('×')} multiplier ${m} dilation ${d} stride ${stride.join('×')} '${padding}' on ${inShape.join('×')}`;
        cases.push(depthwiseCase(name, spec, ints(rng, size(inShape), -128, 127)));
      }
  return cases;
};

/** Every op with zero points at the ends of [−128, 127], input and output at the same or opposite ends (pools: the same). */
export const zeroPointCases = (): EdgeCase[] =>
  (
    [
      [-128, 127],
      [127, -128],
      [-128, -128],
      [127, 127],
    ] as const
  ).flatMap(([zx, zy], i) => {
    const rng = createRng(400 + i);
    const cg = geo([2, 7, 6, 11], [3, 3], [2, 1], 'same');
    const cin = cg.inShape[3];
    const cout = 13;
    const conv: Qs8ConvSpec = {
      ...cg,
      cout,
      weights: ints(rng, 9 * cin * cout, -127, 127),
      bias: Int32Array.from({ length: cout }, () => rng.int(20001) - 10000),
      // (x − zp) is one-signed at these zero points (rms ≈ 147 rather than 74): a smaller multiplier
      multipliers: Float32Array.from({ length: cout }, () =>
        Math.fround((0.5 + rng.uniform()) / (Math.sqrt(9 * cin) * 150)),
      ),
      xZeroPoint: zx,
      yZeroPoint: zy,
    };
    const dg = geo([1, 8, 9, 19], [3, 3], [1, 1], 'same');
    // an average of x − zx has zx's sign: the output zero point sits at the same end, or every code clamps
    const pq = { xScale: 0.05, xZeroPoint: zx, yScale: 0.06, yZeroPoint: zx };
    const aq = { aScale: 0.03, aZeroPoint: zx, bScale: 0.07, bZeroPoint: zy, yScale: 0.05, yZeroPoint: zy };
    const pg = geo([2, 7, 5, 18], [3, 3], [2, 2], 'same');
    const tag = `zero points ${zx}, ${zy}`;
    return [
      convCase(`conv2d 3×3 (${tag})`, conv, ints(rng, size(cg.inShape), -128, 127)),
      convCase(
        `conv2d 3×3 int4 (${tag})`,
        { ...conv, weights: ints(rng, 9 * cin * cout, -8, 7), int4: true },
        ints(rng, size(cg.inShape), -128, 127),
      ),
      depthwiseCase(`depthwise 3×3 (${tag})`, depthwiseSpec(dg, rng, zx, zy), ints(rng, size(dg.inShape), -128, 127)),
      avgPoolCase(`average pooling (${tag})`, pg, pq, ints(rng, size(pg.inShape), -128, 127)),
      globalPoolCase(`global average pooling (${tag})`, [3, 4, 5, 21], pq, ints(rng, 3 * 4 * 5 * 21, -128, 127)),
      addCase(`add (${tag})`, aq, ints(rng, 203, -128, 127), ints(rng, 203, -128, 127)),
    ];
  });

/** Multipliers 2^−e, e in [1, 3]: with small accumulators, a quarter or more of the products are ties. */
const tieMultipliers = (rng: Rng, n: number): Float32Array =>
  Float32Array.from({ length: n }, () => 2 ** -(1 + rng.int(3)));

/**
 * Exact ties in every requantizing op: power-of-two multipliers (conv, GEMM, depthwise, int4) and
 * power-of-two scales (average pools over 1, 2, 4 or 8 positions; an add with multipliers ½ and ¼),
 * inputs near their zero point so the accumulators stay small and the codes unclamped.
 */
export const tieCases = (): EdgeCase[] => {
  const rng = createRng(500);
  const xz = zeroPoint(rng);
  const yz = rng.int(61) - 30;
  const conv = (g: ConvGeometry, cout: number, int4: boolean): Qs8ConvSpec => ({
    ...g,
    cout,
    weights: ints(rng, size([...g.kernel, g.inShape[3], cout]), -3, 3),
    bias: Int32Array.from({ length: cout }, () => rng.int(41) - 20),
    multipliers: tieMultipliers(rng, cout),
    xZeroPoint: xz,
    yZeroPoint: yz,
    int4,
  });
  const gemm = gemmAsConv2d({ ...conv(geo([1, 1, 37, 29], [1, 1], [1, 1], 'valid'), 21, false), m: 37, k: 29, n: 21 });
  const c3 = geo([2, 7, 9, 6], [3, 3], [1, 1], 'same');
  const dw = (g: ConvGeometry): Qs8DepthwiseSpec => ({
    ...g,
    weights: ints(rng, size([...g.kernel, g.inShape[3]]), -6, 6),
    bias: Int32Array.from({ length: g.inShape[3] }, () => rng.int(41) - 20),
    multipliers: tieMultipliers(rng, g.inShape[3]),
    xZeroPoint: xz,
    yZeroPoint: yz,
  });
  const d3 = geo([1, 9, 8, 21], [3, 3], [1, 1], 'same');
  const d5 = geo([1, 8, 9, 19], [5, 3], [2, 1], 'same');
  // scales 2^−4 in and out: m = 1/count, a power of two for windows of 1, 2, 4 and 8 positions
  const pq = { xScale: 2 ** -4, xZeroPoint: xz, yScale: 2 ** -4, yZeroPoint: yz };
  const p2 = geo([2, 9, 7, 19], [2, 2], [1, 1], 'same');
  const p4 = geo([1, 8, 10, 24], [2, 4], [2, 2], 'valid');
  const near = (shape: readonly number[], spread = 14) => nearZeroPoint(rng, size(shape), xz, spread);
  const bz = zeroPoint(rng);
  const aq = { aScale: 2 ** -6, aZeroPoint: xz, bScale: 2 ** -7, bZeroPoint: bz, yScale: 2 ** -5, yZeroPoint: yz };
  return [
    convCase('GEMM 37×29×21', gemm, near([37, 29])),
    convCase('conv2d 3×3', conv(c3, 10, false), near(c3.inShape)),
    convCase('conv2d 3×3 int4', conv(c3, 10, true), near(c3.inShape)),
    depthwiseCase('depthwise 3×3', dw(d3), near(d3.inShape)),
    depthwiseCase('depthwise 5×3 stride 2×1', dw(d5), near(d5.inShape)),
    avgPoolCase('average pooling 2×2 (windows of 1, 2, 4)', p2, pq, ints(rng, size(p2.inShape), -128, 127)),
    avgPoolCase('average pooling 2×4 (windows of 8)', p4, pq, ints(rng, size(p4.inShape), -128, 127)),
    globalPoolCase('global average pooling over 2×2', [7, 2, 2, 24], pq, ints(rng, 7 * 4 * 24, -128, 127)),
    addCase('add with multipliers ½ and ¼', aq, near([301], 100), nearZeroPoint(rng, 301, bz, 100)),
  ];
};

/**
 * Per channel, an accumulator T + δ with T = (q + ½)·2^e in [2^24, 2^30] and 0 < |δ| < half the
 * float32 spacing at T: float32 rounds it to the tie T, whose even neighbour the contract takes,
 * while exact arithmetic would round toward δ's side. δ's sign is chosen so that the two always
 * differ. Also returns the multiplier 2^−e and the output zero point that keeps q + zp in int8.
 */
const nearTieAccumulator = (rng: Rng): { acc: number; m: number } => {
  for (;;) {
    const e = 18 + rng.int(6);
    const sign = rng.int(2) === 0 ? -1 : 1;
    const q = sign * (1 + rng.int(110));
    const t = (q + 0.5) * 2 ** e;
    if (Math.abs(t) < 2 ** 24 || Math.abs(t) > 2 ** 30) continue;
    const spacing = 2 ** (Math.floor(Math.log2(Math.abs(t))) - 23);
    const delta = 1 + rng.int(Math.max(1, spacing / 2 - 1));
    // round half even takes q when q is even, q + 1 when odd; push exact arithmetic the other way
    const towardOdd = ((q % 2) + 2) % 2 === 0 ? 1 : -1;
    return { acc: t + towardOdd * delta, m: 2 ** -e };
  }
};

// Scales equal: over a 512×512 window the multiplier is exactly 2^−18.
const POOL_2_18_QUANT = { xScale: 0.05, xZeroPoint: -128, yScale: 0.05, yZeroPoint: -128 };

/**
 * Input `[1, 512, 512, 8]` whose per-channel sums of x − zp (zp −128) are S = q·2^18 + 2^17 ± 1 with
 * q from 64 to 254, so 2^24 ≤ S < 2^26: float32 rounds S to the tie q + ½, exact arithmetic would not
 * (the sign of the ±1 is chosen against round half even, as in {@link nearTieAccumulator}).
 */
const largePoolInput = (rng: Rng): Int8Array => {
  const c = 8;
  const pixels = 512 * 512;
  const x = new Int8Array(pixels * c);
  for (let ch = 0; ch < c; ch++) {
    const q = 64 + rng.int(191);
    const extra = 2 ** 17 + (q % 2 === 0 ? 1 : -1);
    for (let p = 0; p < pixels; p++) x[p * c + ch] = q - 128 + (p < extra ? 1 : 0);
  }
  return x;
};

/**
 * Accumulators in 2^24..2^30: the first image (or the first rows of a GEMM) equals the input zero
 * point, so there the accumulator is the bias, set near a tie by {@link nearTieAccumulator}; the
 * other images add a random sum on top. The output zero point is 0 so q stays in range. And a
 * global average pool whose sums are placed the same way ({@link largePoolInput}).
 */
export const largeAccumulatorCases = (): EdgeCase[] => {
  const rng = createRng(600);
  const biasAndMultipliers = (n: number) => {
    const t = Array.from({ length: n }, () => nearTieAccumulator(rng));
    return { bias: Int32Array.from(t, (x) => x.acc), multipliers: Float32Array.from(t, (x) => x.m) };
  };
  /** Input `[n, ...]` whose first image is all zp and the rest near zp. */
  const input = (shape: readonly [number, number, number, number], zp: number): Int8Array => {
    const x = nearZeroPoint(rng, size(shape), zp, 30);
    x.fill(zp, 0, size(shape.slice(1)));
    return x;
  };
  const zx = zeroPoint(rng);
  const conv = (g: ConvGeometry, cout: number, int4: boolean): Qs8ConvSpec => ({
    ...g,
    cout,
    weights: ints(rng, size([...g.kernel, g.inShape[3], cout]), int4 ? -8 : -127, int4 ? 7 : 127),
    ...biasAndMultipliers(cout),
    xZeroPoint: zx,
    yZeroPoint: 0,
    int4,
  });
  const gemmGeo = geo([3, 1, 4, 40], [1, 1], [1, 1], 'valid');
  const c3 = geo([2, 5, 6, 7], [3, 3], [1, 1], 'same');
  const dw = (g: ConvGeometry): Qs8DepthwiseSpec => ({
    ...g,
    weights: ints(rng, size([...g.kernel, g.inShape[3]]), -127, 127),
    ...biasAndMultipliers(g.inShape[3]),
    xZeroPoint: zx,
    yZeroPoint: 0,
  });
  const d3 = geo([2, 6, 5, 24], [3, 3], [2, 2], 'same');
  const d5 = geo([2, 7, 7, 13], [5, 5], [1, 1], 'same');
  return [
    globalPoolCase('global average pooling over 512×512', [1, 512, 512, 8], POOL_2_18_QUANT, largePoolInput(rng)),
    convCase('1×1 conv over 3 images of 4×40 → 48', conv(gemmGeo, 48, false), input(gemmGeo.inShape, zx)),
    convCase('1×1 conv int4 → 37', conv(gemmGeo, 37, true), input(gemmGeo.inShape, zx)),
    convCase('conv2d 3×3 → 16', conv(c3, 16, false), input(c3.inShape, zx)),
    depthwiseCase('depthwise 3×3 stride 2', dw(d3), input(d3.inShape, zx)),
    depthwiseCase('depthwise 5×5', dw(d5), input(d5.inShape, zx)),
  ];
};
