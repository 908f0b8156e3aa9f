/**
 * int8 depthwise convolution (weights `[kh, kw, c]`, stride 1 or 2 typical, dilation 1) on the
 * SIMD kernels. Planned like the conv: weights packed into the arena once, padded-input scratch
 * reserved, so a run allocates nothing.
 *
 * @example
 * const plan = planQs8Depthwise(k, { inShape: [1, 32, 32, 64], kernel: [3, 3], stride: [2, 2], dilation: [1, 1],
 *   padding: 'same', weights, bias, multipliers, xZeroPoint: 0, yZeroPoint: -2 });
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

/** A depthwise convolution: geometry, weights `[kh, kw, c]`, requantization. */
export interface Qs8DepthwiseSpec extends ConvGeometry {
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

/** Bytes of the padded int16 input (channels rounded up to 8) a depthwise conv of this geometry needs. */
export const qs8DepthwiseScratchBytes = (g: ConvGeometry): number => {
  return paddedInputBytes(g.inShape, checkGeometry(g).pad, roundUp8(g.inShape[3]));
};

/** Checks a depthwise spec without touching a module (what planning refuses); returns its layout. */
export const validateQs8Depthwise = (spec: Qs8DepthwiseSpec): ConvLayout => {
  const layout = checkGeometry(spec);
  if (spec.dilation[0] !== 1 || spec.dilation[1] !== 1) {
    throw kapriError('Unsupported', `depthwise convolution supports dilation 1 only, got ${spec.dilation.join('×')}`);
  }
  const c = spec.inShape[3];
  checkArray('weights', spec.weights, Int8Array, spec.kernel[0] * spec.kernel[1] * c);
  checkRequant(spec, c);
  checkAccumulatorBound(spec.weights, c, spec.bias, spec.xZeroPoint);
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
  const packed = packDepthwiseWeights(spec.weights, kh, kw, c, spec.bias, spec.multipliers);
  const regions = placePlan(k, packed, qs8DepthwiseScratchBytes(spec), options.scratch);
  const outBytes = n * layout.oh * layout.ow * c;
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
  const [n, , , c] = s.inShape;
  const { oh, ow } = plan.layout;
  const cp = roundUp8(c);
  const { hp, wp } = padWidenInput(k, plan, x, y, cp, runner);
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
