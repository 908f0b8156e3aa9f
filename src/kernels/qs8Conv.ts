/**
 * The int8 convolution family on the SIMD kernels: conv2d NHWC (any kernel, stride, dilation,
 * 'same'/'valid'), conv1d and GEMM (dense) as its special cases, with int8 or int4 weights.
 * A plan validates the spec once, packs the weights into the arena and reserves the padded input
 * scratch, so running it allocates nothing.
 *
 * @example
 * const k = await loadKernels();
 * const plan = planQs8Conv2d(k, { inShape: [1, 8, 8, 16], kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
 *   padding: 'same', cout: 32, weights, bias, multipliers, xZeroPoint: -3, yZeroPoint: 5 });
 * const y = runQs8Conv2d(k, plan, x);   // Int8Array [1, 8, 8, 32]
 * disposeQs8Conv2d(k, plan);
 */
import { kapriError } from '../core/errors.js';
import type { Region } from './arena.js';
import { convLayout, type ConvGeometry, type ConvLayout } from './convGeometry.js';
import type { KernelModule } from './loader.js';
import { serialRunner, type Runner } from './parallel.js';
import { packConvWeights, paddedChannels } from './qs8Pack.js';
import { padWidenInput, paddedInputBytes, placePlan, releasePlan, type PlanRegions } from './planRegions.js';
import { oneShot, runCopying } from './copying.js';
import {
  isInt7Weights,
  packConvWeightsI7,
  relaxedDotTrusted,
  relaxedScratchLayout,
  runRelaxedConvAt,
  type Qs8ConvPath,
} from './qs8ConvRelaxed.js';
import { convKernelArgs } from './convKernelArgs.js';
import { relaxedChoice } from './relaxedChoice.js';
import {
  checkArray,
  checkClamp,
  checkObject,
  checkPositive,
  checkPositiveTuple,
  checkScale,
  checkZeroPoint,
  maxCodeOffset,
} from './validate.js';

/** An int8 convolution: geometry, weights `[kh, kw, cin, cout]` and the requantization. */
export interface Qs8ConvSpec extends ConvGeometry {
  readonly cout: number;
  /** int8 weights `[kh, kw, cin, cout]` (values in [−8, 7] when `int4`). */
  readonly weights: Int8Array;
  /** int32 bias, scale s_x·s_w[o]. */
  readonly bias: Int32Array;
  /** Per-channel multipliers m[o] = f32(f32(s_x·s_w[o]) / s_y) (see requantMultiplier). */
  readonly multipliers: Float32Array;
  readonly xZeroPoint: number;
  readonly yZeroPoint: number;
  /** Output code clamps of the fused activation (default [−128, 127]). */
  readonly clamp?: readonly [number, number];
  /** Store the weights as int4, two per byte (default false). */
  readonly int4?: boolean;
}

/** A validated, packed convolution ready to run. */
export interface Qs8ConvPlan extends PlanRegions {
  readonly spec: Qs8ConvSpec;
  readonly layout: ConvLayout;
  /** Bytes of the raw int8 weights (packedBytes: the packed form). */
  readonly rawBytes: number;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly outShape: readonly [number, number, number, number];
  /** Multiply-accumulates of one run. */
  readonly macs: number;
  /** The kernel this plan runs (see {@link Qs8ConvPlanOptions.path}). */
  readonly path: Qs8ConvPath;
}

/** Options of {@link planQs8Conv2d}. */
export interface Qs8ConvPlanOptions {
  /** A scratch region lent by the caller (at least {@link qs8ConvScratchBytes}), e.g. one for a whole model. */
  readonly scratch?: Region;
  /**
   * Which kernel to run. `'auto'` (default): the relaxed i8·i7 kernel when the weights are in the
   * 7-bit form [−64, 63] and the module computes the relaxed accumulate-dot right (its probe
   * passed: Chromium yes, Node 20 no), else the baseline kernel. `'relaxed'` insists (refused with
   * `Unsupported` where the relaxed dot is untrusted, and `InvalidArgument` for weights outside
   * [−64, 63] or int4); in the simd and threads builds it runs with the dot emulated exactly in
   * baseline SIMD. `'baseline'` never uses it.
   */
  readonly path?: 'auto' | Qs8ConvPath;
}

// Beyond this many terms an int32 accumulator of (x − zp)·w (|·| ≤ 255·128) could overflow.
const MAX_REDUCTION = Math.floor(2 ** 31 / (255 * 128));
const I32_MAX = 2 ** 31 - 1;

/** Checks a geometry and returns its layout; a window that does not fit is an error. */
export const checkGeometry = (g: ConvGeometry): ConvLayout => {
  checkObject('spec', g);
  checkPositiveTuple('inShape', g.inShape, 4);
  checkPositiveTuple('kernel', g.kernel, 2);
  checkPositiveTuple('stride', g.stride, 2);
  checkPositiveTuple('dilation', g.dilation, 2);
  if (g.padding !== 'same' && g.padding !== 'valid') {
    throw kapriError('InvalidArgument', `padding must be 'same' or 'valid', got ${JSON.stringify(g.padding)}`);
  }
  const layout = convLayout(g);
  if (layout.oh < 1 || layout.ow < 1) {
    throw kapriError(
      'InvalidShape',
      `a ${g.kernel[0]}×${g.kernel[1]} window (dilation ${g.dilation.join('×')}) does not fit the ${g.inShape[1]}×${g.inShape[2]} input with 'valid' padding`,
    );
  }
  return layout;
};

/** Checks per-channel bias, multipliers, zero points and clamps of `channels` outputs. */
export const checkRequant = (
  s: Pick<Qs8ConvSpec, 'bias' | 'multipliers' | 'xZeroPoint' | 'yZeroPoint' | 'clamp'>,
  channels: number,
): void => {
  checkArray('bias', s.bias, Int32Array, channels);
  checkArray('multipliers', s.multipliers, Float32Array, channels);
  s.multipliers.forEach((m, i) => checkScale(`multipliers[${i}]`, m));
  checkZeroPoint('xZeroPoint', s.xZeroPoint);
  checkZeroPoint('yZeroPoint', s.yZeroPoint);
  if (s.clamp !== undefined) checkClamp('clamp', s.clamp);
};

/**
 * Per output channel, the accumulator bias + Σ(x − zp)·w must fit int32 whatever the input:
 * |bias[o]| + max|x − zp|·Σ|w[·, o]| ≤ 2³¹ − 1. Weights are `[reduction, channels]` (the conv's
 * `[kh, kw, cin, cout]` and the depthwise `[kh, kw, c]` both are). A wrapped sum would give a
 * wrong code with no error.
 */
export const checkAccumulatorBound = (
  weights: Int8Array,
  channels: number,
  bias: Int32Array,
  xZeroPoint: number,
): void => {
  const span = maxCodeOffset(xZeroPoint);
  const sums = new Float64Array(channels);
  for (let i = 0; i < weights.length; i += channels) {
    for (let o = 0; o < channels; o++) sums[o]! += Math.abs(weights[i + o]!);
  }
  for (let o = 0; o < channels; o++) {
    if (Math.abs(bias[o]!) + span * sums[o]! > I32_MAX) {
      throw kapriError(
        'InvalidArgument',
        `bias[${o}] = ${bias[o]} with weights of Σ|w| = ${sums[o]} could overflow the int32 accumulator: |bias| + ${span}·Σ|w| must be at most ${I32_MAX}`,
        { channel: o, bias: bias[o] },
      );
    }
  }
};

/** Checks a convolution spec without touching a module (what planning refuses); returns its layout. */
export const validateQs8Conv2d = (s: Qs8ConvSpec): ConvLayout => {
  const layout = checkGeometry(s);
  checkPositive('cout', s.cout);
  const [, , , cin] = s.inShape;
  const [kh, kw] = s.kernel;
  checkArray('weights', s.weights, Int8Array, kh * kw * cin * s.cout);
  checkRequant(s, s.cout);
  if (kh * kw * cin > MAX_REDUCTION) {
    throw kapriError(
      'Unsupported',
      `a reduction of ${kh * kw * cin} terms could overflow the int32 accumulator (at most ${MAX_REDUCTION})`,
    );
  }
  checkAccumulatorBound(s.weights, s.cout, s.bias, s.xZeroPoint);
  return layout;
};

/** Bytes of the padded int16 input a convolution of this geometry needs. */
export const qs8ConvScratchBytes = (g: ConvGeometry): number => {
  const layout = checkGeometry(g);
  // enough for either path: the int16 image of the baseline, or the relaxed image with its sums
  return Math.max(
    paddedInputBytes(g.inShape, layout.pad, paddedChannels(g.inShape[3])),
    relaxedScratchLayout(g, layout).bytes,
  );
};

/** The path a plan takes (see {@link Qs8ConvPlanOptions.path}). */
const choosePath = (k: KernelModule, spec: Qs8ConvSpec, asked: 'auto' | Qs8ConvPath): Qs8ConvPath => {
  if (asked === 'baseline') return 'baseline';
  if (asked !== 'auto' && asked !== 'relaxed') {
    throw kapriError('InvalidArgument', `path must be 'auto', 'baseline' or 'relaxed', got ${JSON.stringify(asked)}`);
  }
  const int7 = !spec.int4 && isInt7Weights(spec.weights);
  // auto: the relaxed path only where it is trusted and measured faster (relaxedChoice.ts)
  if (asked === 'auto') return int7 && relaxedChoice(k).pays ? 'relaxed' : 'baseline';
  if (!int7) {
    throw kapriError(
      'InvalidArgument',
      `the relaxed conv path needs int8 weights in the 7-bit form [-64, 63]${spec.int4 ? ', not int4' : ''}`,
    );
  }
  if (k.build === 'relaxed' && !relaxedDotTrusted(k)) {
    throw kapriError(
      'Unsupported',
      'this engine computes i32x4.relaxed_dot_i8x16_i7x16_add_s wrongly (its known-answer probe failed, as in Node 20): the relaxed conv path cannot run on its relaxed build',
    );
  }
  return 'relaxed';
};

/**
 * Validates a spec, packs its weights into the arena and reserves the padded-input scratch, or
 * uses `scratch` (at least {@link qs8ConvScratchBytes}) lent by the caller, e.g. one for a whole model.
 */
export const planQs8Conv2d = (k: KernelModule, spec: Qs8ConvSpec, options: Qs8ConvPlanOptions = {}): Qs8ConvPlan => {
  const layout = validateQs8Conv2d(spec);
  const [n, h, w, cin] = spec.inShape;
  const path = choosePath(k, spec, options.path ?? 'auto');
  const regions = placePlan(
    k,
    path === 'relaxed'
      ? packConvWeightsI7({ ...spec, cin })
      : packConvWeights({ ...spec, cin, int4: spec.int4 ?? false }),
    qs8ConvScratchBytes(spec),
    options.scratch,
  );
  const outShape = [n, layout.oh, layout.ow, spec.cout] as const;
  return {
    ...regions,
    spec,
    layout,
    rawBytes: spec.weights.length,
    inBytes: n * h * w * cin,
    outBytes: outShape.reduce((a, b) => a * b, 1),
    outShape,
    macs: n * layout.oh * layout.ow * spec.cout * spec.kernel[0] * spec.kernel[1] * cin,
    path,
  };
};

/** Frees a plan's arena regions (not a lent scratch). */
export const disposeQs8Conv2d = (k: KernelModule, plan: Qs8ConvPlan): void => releasePlan(k, plan);

/** Runs a plan on input region `x` into output region `y` (no copies, no allocation). */
export const runQs8Conv2dAt = (
  k: KernelModule,
  plan: Qs8ConvPlan,
  x: Region,
  y: Region,
  runner: Runner = serialRunner(k),
): void => {
  if (plan.path === 'relaxed') {
    runRelaxedConvAt(k, plan, x, y, runner);
    return;
  }
  const s = plan.spec;
  const n = s.inShape[0];
  const { oh, ow } = plan.layout;
  const cp = paddedChannels(s.inShape[3]);
  const { hp, wp } = padWidenInput(k, plan, x, y, cp, runner);
  const kernel = s.int4 ? 'qs8_conv2d_int4' : 'qs8_conv2d';
  const args = [plan.scratch.ptr, plan.packed.ptr, y.ptr, hp, wp, cp, ...convKernelArgs(s, oh, ow)];
  runner.run(kernel, args, n * oh * ow, plan.macs);
};

/** Runs a plan on an Int8Array (copying through the arena). */
export const runQs8Conv2d = (k: KernelModule, plan: Qs8ConvPlan, x: Int8Array, runner?: Runner): Int8Array =>
  runCopying(k, x, plan.inBytes, plan.outBytes, (rx, ry) => runQs8Conv2dAt(k, plan, rx, ry, runner));

/** One-shot convolution: plan, run, dispose. */
export const qs8Conv2d = (k: KernelModule, x: Int8Array, spec: Qs8ConvSpec, runner?: Runner): Int8Array =>
  oneShot(
    () => planQs8Conv2d(k, spec),
    (p) => runQs8Conv2d(k, p, x, runner),
    (p) => disposeQs8Conv2d(k, p),
  );

/** A 1-D convolution of signals `[n, length, channels]` with weights `[k, cin, cout]`. */
export interface Qs8Conv1dSpec extends Omit<Qs8ConvSpec, 'inShape' | 'kernel' | 'stride' | 'dilation'> {
  readonly inShape: readonly [number, number, number];
  readonly kernel: number;
  readonly stride: number;
  readonly dilation?: number;
}

/** The conv2d spec of a conv1d: a height-1 image. */
export const conv1dAsConv2d = (s: Qs8Conv1dSpec): Qs8ConvSpec => {
  checkPositiveTuple('inShape', s.inShape, 3);
  return {
    ...s,
    inShape: [s.inShape[0], 1, s.inShape[1], s.inShape[2]],
    kernel: [1, s.kernel],
    stride: [1, s.stride],
    dilation: [1, s.dilation ?? 1],
  };
};

/** An int8 GEMM `y[m, n] = x[m, k] · w[k, n]` (a dense layer over m rows). */
export interface Qs8GemmSpec
  extends Omit<Qs8ConvSpec, 'inShape' | 'kernel' | 'stride' | 'dilation' | 'padding' | 'cout'> {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/** The conv2d spec of a GEMM: a 1×1 conv over a 1×m image of k channels. */
export const gemmAsConv2d = (s: Qs8GemmSpec): Qs8ConvSpec => {
  checkPositive('m', s.m);
  checkPositive('k', s.k);
  checkPositive('n', s.n);
  return {
    ...s,
    inShape: [1, 1, s.m, s.k],
    kernel: [1, 1],
    stride: [1, 1],
    dilation: [1, 1],
    padding: 'valid',
    cout: s.n,
  };
};
