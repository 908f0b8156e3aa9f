/**
 * The relaxed int8 conv path (7-bit weights on the i8·i7 dot) against the baseline contract's JS
 * reference, bit for bit: the conv sweep of ./qs8Suite.ts with its weights in the 7-bit form, the
 * extreme zero points, the largest weights against the largest inputs, conv1d and GEMM, on one
 * thread and on pools. Registered by the Node tests for the simd and threads builds (the dot
 * emulated in baseline SIMD, the path forced) and by the browser tests for the relaxed build, where
 * the path must be chosen by itself because the engine's probe passes.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import type { KernelBuild } from '../../../src/kernels/capabilities.js';
import type { ConvGeometry } from '../../../src/kernels/convGeometry.js';
import type { KernelModule } from '../../../src/kernels/loader.js';
import {
  conv1dAsConv2d,
  disposeQs8Conv2d,
  gemmAsConv2d,
  planQs8Conv2d,
  runQs8Conv2d,
  type Qs8ConvSpec,
} from '../../../src/kernels/qs8Conv.js';
import type { Runner } from '../../../src/kernels/parallel.js';
import { refQs8Conv2d } from '../../../src/kernels/reference/qs8Conv.js';
import { refQs8Conv2dI7 } from '../../../src/kernels/reference/qs8ConvI7.js';
import { CONV_CASES, loadOnce, randomConvSpec, type ExtraRunners } from './qs8Suite.js';

const geo = (g: Omit<ConvGeometry, 'dilation'> & { dilation?: readonly [number, number] }): ConvGeometry => ({
  dilation: [1, 1],
  ...g,
});

/** A random spec of the sweep with its weights halved into [−64, 63] and multipliers doubled to keep the codes spread. */
export const randomInt7Spec = (g: ConvGeometry, cout: number, seed: number): Qs8ConvSpec => {
  const s = randomConvSpec(g, cout, seed);
  return {
    ...s,
    weights: s.weights.map((w) => w >> 1),
    multipliers: s.multipliers.map((m) => Math.fround(2 * m)),
  };
};

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Edge specs: zero points at both ends of int8, and all-extreme weights and inputs (largest accumulators). */
export const int7EdgeCases = (): { name: string; spec: Qs8ConvSpec; x: Int8Array }[] => {
  const cases: { name: string; spec: Qs8ConvSpec; x: Int8Array }[] = [];
  const rng = createRng(77);
  for (const [zx, zy] of [
    [-128, 127],
    [127, -128],
    [-128, -128],
  ] as const) {
    const g = geo({ inShape: [2, 6, 7, 13], kernel: [3, 3], stride: [1, 1], padding: 'same' });
    const s = randomInt7Spec(g, 11, 300 + zx);
    cases.push({
      name: `3×3 with zx ${zx}, zy ${zy}`,
      spec: { ...s, xZeroPoint: zx, yZeroPoint: zy, clamp: [-128, 127] },
      x: Int8Array.from({ length: size(g.inShape) }, () => rng.int(256) - 128),
    });
  }
  // every weight −64 against inputs of 127 with zx = −128: |x − zx|·|w| at its largest over 9·64 terms
  const g = geo({ inShape: [1, 5, 5, 64], kernel: [3, 3], stride: [1, 1], padding: 'same' });
  const n = 9 * 64 * 16;
  cases.push({
    name: 'all weights −64, all inputs 127, zx −128',
    spec: {
      ...g,
      cout: 16,
      weights: new Int8Array(n).fill(-64),
      bias: new Int32Array(16).fill(12345),
      multipliers: new Float32Array(16).fill(Math.fround(1 / 40000)),
      xZeroPoint: -128,
      yZeroPoint: 0,
    },
    x: new Int8Array(size(g.inShape)).fill(127),
  });
  cases.push({
    name: 'weights at 63 and −64, inputs at −128 and 127',
    spec: {
      ...g,
      cout: 16,
      weights: Int8Array.from({ length: n }, () => (rng.int(2) === 0 ? -64 : 63)),
      bias: new Int32Array(16).fill(-777),
      multipliers: new Float32Array(16).fill(Math.fround(1 / 20000)),
      xZeroPoint: 5,
      yZeroPoint: 3,
    },
    x: Int8Array.from({ length: size(g.inShape) }, () => (rng.int(2) === 0 ? -128 : 127)),
  });
  return cases;
};

const expectedOf = (spec: Qs8ConvSpec, x: Int8Array): number[] =>
  Array.from(refQs8Conv2d(x, spec.weights, spec.cout, spec, { ...spec, clamp: spec.clamp ?? [-128, 127] }));

/** Runs a spec on the relaxed path (planned with `path`), checking the plan took it. */
const runRelaxed = (k: KernelModule, spec: Qs8ConvSpec, x: Int8Array, path: 'auto' | 'relaxed', r?: Runner) => {
  const plan = planQs8Conv2d(k, spec, { path });
  try {
    expect(plan.path).toBe('relaxed');
    return Array.from(runQs8Conv2d(k, plan, x, r));
  } finally {
    disposeQs8Conv2d(k, plan);
  }
};

/**
 * Registers the suite for one build. `path` is how plans ask for the relaxed kernel: 'auto' where
 * the engine's probe passes (the plan must choose it by itself), 'relaxed' to force the emulated form.
 */
export const defineQs8RelaxedSuite = (
  build: KernelBuild,
  path: 'auto' | 'relaxed',
  runners: (k: KernelModule) => Promise<ExtraRunners> = async () => [],
): void => {
  describe(`relaxed int8 conv path agrees with the baseline contract bit for bit (${build} build, path ${path})`, () => {
    const load = loadOnce(build, runners);

    it.each(CONV_CASES.map(([g, cout], i) => [i, g, cout] as const))(
      'conv2d case %i %o → %i channels, 7-bit weights',
      async (i, g, cout) => {
        const { k, extra } = await load();
        const spec = randomInt7Spec(geo(g), cout, 100 + i);
        const x = Int8Array.from({ length: size(g.inShape) }, (_, j) => ((j * 37 + i * 11) % 256) - 128);
        const expected = expectedOf(spec, x);
        expect(new Set(expected).size).toBeGreaterThan(Math.min(10, expected.length / 2));
        expect(runRelaxed(k, spec, x, path)).toEqual(expected);
        for (const [, r] of extra) expect(runRelaxed(k, spec, x, path, r)).toEqual(expected);
      },
    );

    it.each(int7EdgeCases().map((c) => [c.name, c] as const))('edge: %s', async (_name, c) => {
      const { k, extra } = await load();
      const expected = expectedOf(c.spec, c.x);
      expect(runRelaxed(k, c.spec, c.x, path)).toEqual(expected);
      for (const [, r] of extra) expect(runRelaxed(k, c.spec, c.x, path, r)).toEqual(expected);
    });

    it('conv1d (kernel 32, stride 8, 28 channels) and GEMM 37×29×21 take the relaxed path', async () => {
      const { k } = await load();
      const base = randomInt7Spec(
        geo({ inShape: [2, 1, 200, 28], kernel: [1, 32], stride: [1, 8], padding: 'same' }),
        12,
        7,
      );
      const { dilation: _d, ...rest } = base;
      const c1 = conv1dAsConv2d({ ...rest, inShape: [2, 200, 28], kernel: 32, stride: 8 });
      const x1 = Int8Array.from({ length: 2 * 200 * 28 }, (_, j) => ((j * 53) % 256) - 128);
      expect(runRelaxed(k, c1, x1, path)).toEqual(expectedOf(c1, x1));
      const gb = randomInt7Spec(
        geo({ inShape: [1, 1, 37, 29], kernel: [1, 1], stride: [1, 1], padding: 'valid' }),
        21,
        9,
      );
      const gm = gemmAsConv2d({ ...gb, m: 37, k: 29, n: 21 });
      const x2 = Int8Array.from({ length: 37 * 29 }, (_, j) => ((j * 91) % 256) - 128);
      expect(runRelaxed(k, gm, x2, path)).toEqual(expectedOf(gm, x2));
    });

    it('the JS reference of the decomposition equals the baseline contract', () => {
      for (const [i, [g, cout]] of CONV_CASES.entries()) {
        const spec = randomInt7Spec(geo(g), cout, 200 + i);
        const x = Int8Array.from({ length: size(g.inShape) }, (_, j) => ((j * 29 + i) % 256) - 128);
        const q = { ...spec, clamp: spec.clamp ?? ([-128, 127] as const) };
        expect(Array.from(refQs8Conv2dI7(x, spec.weights, cout, spec, q))).toEqual(expectedOf(spec, x));
      }
      for (const c of int7EdgeCases()) {
        const q = { ...c.spec, clamp: c.spec.clamp ?? ([-128, 127] as const) };
        expect(Array.from(refQs8Conv2dI7(c.x, c.spec.weights, c.spec.cout, c.spec, q))).toEqual(
          expectedOf(c.spec, c.x),
        );
      }
    });
  });
};
