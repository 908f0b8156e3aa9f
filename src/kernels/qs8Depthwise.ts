/**
 * int8 depthwise convolution on the SIMD kernels: any window, stride and dilation, and a depth
 * multiplier m (weights `[kh, kw, c·m]`; output channel o reads input channel ⌊o / m⌋, the layout
 * of TFLite's DEPTHWISE_CONV_2D and of an ONNX Conv with group = C). Planned like the conv: weights
 * packed into the arena once, padded-input scratch reserved, so a run allocates nothing.
 *
 * @example
 * const plan = planQs8Depthwise(k, { inShape: [1, 32, 32, 64], kernel: [3, 3], stride: [2, 2], dilation: [2, 2],
 *   padding: 'same', depthMultiplier: 2, weights, bias, multipliers, xZeroPoint: 0, yZeroPoint: -2 }); // 128 outputs
 * const y = runQs8Depthwise(k, plan, x);
 */
import { kapriError } from '../core/errors.js';
import type { Region } from './arena.js';
import type { ConvGeometry, ConvLayout } from './convGeometry.js';
import type { KernelModule } from './loader.js';
import { serialRunner, type Runner } from './parallel.js';
import { checkAccumulatorBound, checkGeometry, checkRequant } from './qs8Conv.js';
import { packDepthwiseWeights } from './qs8Pack.js';
import { padWidenInput, paddedInputBytes, placePlan, releasePlan, type PlanRegions } from './planRegions.js';
import { oneShot, runCopying } from './copying.js';
import { checkArray } from './validate.js';

/** A depthwise convolution: geometry, weights `[kh, kw, c·m]`, requantization (per output channel). */
export interface Qs8DepthwiseSpec extends ConvGeometry {
  /** Output channels per input channel (default 1). */
  readonly depthMultiplier?: number;
  readonly weights: Int8Array;
  readonly bias: Int32Array;
  readonly multipliers: Float32Array;
  readonly xZeroPoint: number;
  readonly yZeroPoint: number;
  readonly clamp?: readonly [number, number];
}

/** A validated, packed depthwise convolution. */
export interface Qs8DepthwisePlan extends PlanRegions {
  readonly spec: Qs8DepthwiseSpec;
  readonly layout: ConvLayout;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly macs: number;
}

const roundUp8 = (c: number): number => (c + 7) & ~7;
// TFLite and ONNX models use small multipliers (1–4 typically); this bounds the widened input.
const MAX_MULTIPLIER = 64;

/** Output channels of a depthwise spec: input channels × depth multiplier. */
export const depthwiseOutChannels = (spec: Pick<Qs8DepthwiseSpec, 'inShape' | 'depthMultiplier'>): number =>
  spec.inShape[3] * (spec.depthMultiplier ?? 1);

/** Bytes of the padded int16 input (output channels rounded up to 8) a depthwise conv of this geometry needs. */
export const qs8DepthwiseScratchBytes = (g: ConvGeometry & Pick<Qs8DepthwiseSpec, 'depthMultiplier'>): number => {
  return paddedInputBytes(g.inShape, checkGeometry(g).pad, roundUp8(depthwiseOutChannels(g)));
};

/** Checks a depthwise spec without touching a module (what planning refuses); returns its layout. */
export const validateQs8Depthwise = (spec: Qs8DepthwiseSpec): ConvLayout => {
  const layout = checkGeometry(spec);
  const m = spec.depthMultiplier ?? 1;
  if (!Number.isInteger(m) || m < 1 || m > MAX_MULTIPLIER)
    throw kapriError(
      'InvalidArgument',
      `depthMultiplier must be an integer in [1, ${MAX_MULTIPLIER}], got ${String(spec.depthMultiplier)}`,
    );
  const cout = depthwiseOutChannels(spec);
  checkArray('weights', spec.weights, Int8Array, spec.kernel[0] * spec.kernel[1] * cout);
  checkRequant(spec, cout);
  checkAccumulatorBound(spec.weights, cout, spec.bias, spec.xZeroPoint);
  return layout;
};

/** Validates, packs the weights into the arena and reserves the padded input (or uses a lent `scratch`). */
export const planQs8Depthwise = (
  k: KernelModule,
  spec: Qs8DepthwiseSpec,
  options: { scratch?: Region } = {},
): Qs8DepthwisePlan => {
  const layout = validateQs8Depthwise(spec);
  const [n, h, w, c] = spec.inShape;
  const [kh, kw] = spec.kernel;
  const cout = depthwiseOutChannels(spec);
  const packed = packDepthwiseWeights(spec.weights, kh, kw, cout, spec.bias, spec.multipliers);
  const regions = placePlan(k, packed, qs8DepthwiseScratchBytes(spec), options.scratch);
  const outBytes = n * layout.oh * layout.ow * cout;
  return { ...regions, spec, layout, inBytes: n * h * w * c, outBytes, macs: outBytes * kh * kw };
};

/** Frees a plan's arena regions (not a lent scratch). */
export const disposeQs8Depthwise = (k: KernelModule, plan: Qs8DepthwisePlan): void => releasePlan(k, plan);

/** Runs a plan from region `x` into region `y`. */
export const runQs8DepthwiseAt = (
  k: KernelModule,
  plan: Qs8DepthwisePlan,
  x: Region,
  y: Region,
  runner: Runner = serialRunner(k),
): void => {
  const s = plan.spec;
  const n = s.inShape[0];
  const m = s.depthMultiplier ?? 1;
  const c = depthwiseOutChannels(s);
  const { oh, ow } = plan.layout;
  const cp = roundUp8(c);
  const { hp, wp } = padWidenInput(k, plan, x, y, cp, runner, m);
  const [lo, hi] = s.clamp ?? [-128, 127];
  runner.run(
    'qs8_depthwise',
    [
      plan.scratch.ptr,
      plan.packed.ptr,
      y.ptr,
      hp,
      wp,
      cp,
      c,
      s.kernel[0],
      s.kernel[1],
      s.stride[0],
      s.stride[1],
      s.dilation[0],
      s.dilation[1],
      oh,
      ow,
      s.yZeroPoint,
      lo,
      hi,
    ],
    n * oh * ow,
    plan.macs,
  );
};

/** Runs a plan on an Int8Array (copying through the arena). */
export const runQs8Depthwise = (k: KernelModule, plan: Qs8DepthwisePlan, x: Int8Array, runner?: Runner): Int8Array =>
  runCopying(k, x, plan.inBytes, plan.outBytes, (rx, ry) => runQs8DepthwiseAt(k, plan, rx, ry, runner));

/** One-shot depthwise convolution: plan, run, dispose. */
export const qs8Depthwise = (k: KernelModule, x: Int8Array, spec: Qs8DepthwiseSpec, runner?: Runner): Int8Array =>
  oneShot(
    () => planQs8Depthwise(k, spec),
    (p) => runQs8Depthwise(k, p, x, runner),
    (p) => disposeQs8Depthwise(k, p),
  );
