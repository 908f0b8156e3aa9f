/**
 * A latency model of the int8 kernels, fitted on this machine: the time of a conv (or depthwise)
 * call is a·MACs + b·(padded input elements, widened per call) + c·(output elements, requantized)
 * + d (call overhead), with non-negative coefficients fitted by least squares to medians measured on
 * a calibration set of shapes. It predicts shapes it has not seen; `kapri bench` checks it against
 * the bench shapes, which are not in the calibration set.
 *
 * @example
 * const model = await calibrateKernelCost(await loadKernels());
 * model.predictMs({ inShape: [1, 32, 32, 64], kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' }, 64, 'conv2d');
 */
import { kapriError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { convLayout, type ConvGeometry } from '../kernels/convGeometry.js';
import type { KernelModule } from '../kernels/loader.js';
import { serialRunner } from '../kernels/parallel.js';
import { disposeQs8Conv2d, planQs8Conv2d, runQs8Conv2dAt } from '../kernels/qs8Conv.js';
import { disposeQs8Depthwise, planQs8Depthwise, runQs8DepthwiseAt } from '../kernels/qs8Depthwise.js';
import { medianMs } from '../core/medianMs.js';

export type KernelKind = 'conv2d' | 'depthwise';

/** The features of one call: what its time is linear in. */
export const costFeatures = (g: ConvGeometry, cout: number, kind: KernelKind): [number, number, number, number] => {
  const [n, h, w, c] = g.inShape;
  const { oh, ow, pad } = convLayout(g);
  const channels = kind === 'depthwise' ? c : cout;
  const macs = n * oh * ow * channels * g.kernel[0] * g.kernel[1] * (kind === 'depthwise' ? 1 : c);
  const padded = n * (h + pad.top + pad.bottom) * (w + pad.left + pad.right) * c;
  // A depthwise call's outputs are a fixed fraction of its MACs (kh·kw each): one feature carries both.
  return [macs, padded, kind === 'depthwise' ? 0 : n * oh * ow * channels, 1];
};

/** Solves the normal equations of least squares, keeping coefficients ≥ 0 (dropping negative ones). */
export const fitNonNegative = (rows: readonly (readonly number[])[], ys: readonly number[]): number[] => {
  const p = rows[0]?.length ?? 0;
  if (rows.length < p)
    throw kapriError('InvalidArgument', `a fit of ${p} coefficients needs at least ${p} rows, got ${rows.length}`);
  // A column that is zero everywhere says nothing: its coefficient is 0.
  const active = Array.from({ length: p }, (_, j) => rows.some((r) => r[j] !== 0));
  for (;;) {
    const idx = active.flatMap((a, i) => (a ? [i] : []));
    // Scale columns to unit norm so the solve is well conditioned (MACs are ~1e8, the constant 1).
    const norms = idx.map((j) => Math.sqrt(rows.reduce((s, r) => s + r[j]! ** 2, 0)) || 1);
    const m = idx.length;
    const a = Array.from({ length: m }, () => Array.from({ length: m + 1 }, () => 0));
    for (const [r, row] of rows.entries()) {
      for (let i = 0; i < m; i++) {
        const xi = row[idx[i]!]! / norms[i]!;
        for (let j = 0; j < m; j++) a[i]![j]! += xi * (row[idx[j]!]! / norms[j]!);
        a[i]![m]! += xi * ys[r]!;
      }
    }
    // Gaussian elimination with partial pivoting.
    for (let col = 0; col < m; col++) {
      let piv = col;
      for (let r = col + 1; r < m; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
      [a[col], a[piv]] = [a[piv]!, a[col]!];
      const d = a[col]![col]!;
      if (Math.abs(d) < 1e-12)
        throw kapriError('NumericalError', 'the calibration shapes do not determine the cost model (singular fit)');
      for (let r = 0; r < m; r++) {
        if (r === col) continue;
        const f = a[r]![col]! / d;
        for (let j = col; j <= m; j++) a[r]![j]! -= f * a[col]![j]!;
      }
    }
    const coef = Array.from({ length: p }, () => 0);
    idx.forEach((j, i) => (coef[j] = a[i]![m]! / a[i]![i]! / norms[i]!));
    const negative = idx.filter((j) => coef[j]! < 0);
    if (negative.length === 0) return coef;
    for (const j of negative) active[j] = false;
  }
};

/** A fitted latency model of the kernels on one thread of this machine. */
export interface KernelCostModel {
  /** Milliseconds per feature unit, per kind: [per MAC, per padded input element, per output element, per call]. */
  readonly coefficients: Readonly<Record<KernelKind, readonly number[]>>;
  /** The kernel build it was measured on. */
  readonly build: string;
  predictMs(g: ConvGeometry, cout: number, kind: KernelKind): number;
}

const geo = (inShape: [number, number, number, number], k: number, s = 1): ConvGeometry => ({
  inShape,
  kernel: [k, k],
  stride: [s, s],
  dilation: [1, 1],
  padding: 'same',
});

/** Calibration shapes: varied sizes, kernels and strides, none of them a bench shape. */
export const CALIBRATION_SHAPES: Readonly<Record<KernelKind, readonly [ConvGeometry, number][]>> = {
  conv2d: [
    [geo([1, 8, 8, 16], 3), 16],
    [geo([1, 24, 24, 16], 3), 32],
    [geo([2, 20, 20, 48], 3), 48],
    [geo([1, 28, 28, 32], 1), 96],
    [geo([4, 16, 16, 24], 5, 2), 40],
    [geo([1, 40, 40, 8], 3, 2), 24],
    [geo([1, 12, 12, 96], 3), 96],
    [geo([1, 64, 64, 4], 3), 8],
  ],
  depthwise: [
    [geo([1, 8, 8, 16], 3), 16],
    [geo([1, 24, 24, 48], 3), 48],
    [geo([1, 48, 48, 32], 3, 2), 32],
    [geo([2, 16, 16, 96], 3), 96],
    [geo([1, 40, 40, 24], 3), 24],
    [geo([1, 20, 20, 128], 3), 128],
    [geo([1, 56, 56, 16], 3), 16],
    [geo([4, 12, 12, 40], 3, 2), 40],
  ],
};

/** Milliseconds of one kernel call: the lowest of three medians (weights packed once, outside the timing). */
export const measureKernelMs = (
  k: KernelModule,
  g: ConvGeometry,
  cout: number,
  kind: KernelKind,
  reps = 11,
): number => {
  const rng = createRng(1);
  const c = g.inShape[3];
  const channels = kind === 'depthwise' ? c : cout;
  const weights = Int8Array.from(
    { length: g.kernel[0] * g.kernel[1] * c * (kind === 'depthwise' ? 1 : cout) },
    () => rng.int(255) - 127,
  );
  const common = {
    bias: new Int32Array(channels),
    multipliers: new Float32Array(channels).fill(1e-4),
    xZeroPoint: 0,
    yZeroPoint: 0,
    weights,
  };
  const time = (run: () => void): number => {
    // Warm up for 30 ms: V8 first runs wasm from its baseline compiler and tiers hot functions up later.
    const warm = performance.now();
    do run();
    while (performance.now() - warm < 30);
    // The lowest of three medians: a burst of interference on the host can shift one median, rarely all three.
    return Math.min(...[0, 1, 2].map(() => medianMs(run, reps, 0)));
  };
  const runner = serialRunner(k);
  if (kind === 'depthwise') {
    const plan = planQs8Depthwise(k, { ...g, ...common });
    const x = k.arena.alloc(plan.inBytes);
    const y = k.arena.alloc(plan.outBytes);
    try {
      return time(() => runQs8DepthwiseAt(k, plan, x, y, runner));
    } finally {
      k.arena.free(x);
      k.arena.free(y);
      disposeQs8Depthwise(k, plan);
    }
  }
  const plan = planQs8Conv2d(k, { ...g, ...common, cout });
  const x = k.arena.alloc(plan.inBytes);
  const y = k.arena.alloc(plan.outBytes);
  try {
    return time(() => runQs8Conv2dAt(k, plan, x, y, runner));
  } finally {
    k.arena.free(x);
    k.arena.free(y);
    disposeQs8Conv2d(k, plan);
  }
};

/** Measures the calibration shapes on `k` (one thread) and fits the model. Takes well under a second. */
export const calibrateKernelCost = async (k: KernelModule): Promise<KernelCostModel> => {
  const fitKind = (kind: KernelKind): number[] => {
    const shapes = CALIBRATION_SHAPES[kind];
    return fitNonNegative(
      shapes.map(([g, cout]) => costFeatures(g, cout, kind)),
      shapes.map(([g, cout]) => measureKernelMs(k, g, cout, kind)),
    );
  };
  const coefficients = { conv2d: fitKind('conv2d'), depthwise: fitKind('depthwise') };
  return {
    coefficients,
    build: k.build,
    predictMs: (g, cout, kind) => costFeatures(g, cout, kind).reduce((a, x, i) => a + x * coefficients[kind][i]!, 0),
  };
};
