/**
 * The kernel calls a QModel op maps to: geometry, requantization and int8 weights as the planners
 * take them. Decoding validates these specs with the planners' own checks and the kernel executor
 * plans the same specs, so a file that decodes is a file that plans.
 */
import type { ConvGeometry } from '../kernels/convGeometry.js';
import { unpackInt4 } from '../kernels/int4.js';
import type { Qs8ConvSpec } from '../kernels/qs8Conv.js';
import type { Qs8DepthwiseSpec } from '../kernels/qs8Depthwise.js';
import { globalPoolGeometry } from '../kernels/qs8Pool.js';
import type { AddQuant } from '../kernels/reference/qs8Add.js';
import type { PoolQuant } from '../kernels/reference/qs8Pool.js';
import type { QModel, QOp, QTensor } from './qmodelTypes.js';
import { activationClamp, requantMultiplier } from './requantize.js';

export type WeightOp = Extract<QOp, { op: 'conv2d' | 'dense' | 'depthwise3x3' }>;
export type PoolingOp = Extract<QOp, { op: 'maxPool' | 'avgPool' | 'globalAvgPool' }>;
export type AddingOp = Extract<QOp, { op: 'add' }>;

/** A tensor as a batch of one NHWC image (a flat [C] tensor is one pixel of C channels). */
export const nhwc = (t: QTensor): [number, number, number, number] => {
  const [h, w, c] = t.shape.length === 1 ? [1, 1, t.shape[0]!] : (t.shape as unknown as [number, number, number]);
  return [1, h, w, c];
};

/** The NHWC geometry a weight op runs with (a dense layer is a 1×1 conv over one pixel). */
export const geometryOf = (op: WeightOp, x: QTensor): ConvGeometry => {
  if (op.op === 'dense')
    return { inShape: [1, 1, 1, x.shape[0]!], kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: 'valid' };
  if (op.op === 'depthwise3x3')
    return { inShape: nhwc(x), kernel: [3, 3], stride: [op.stride, op.stride], dilation: [1, 1], padding: 'same' };
  return { inShape: nhwc(x), kernel: op.kernel, stride: op.stride, dilation: [1, 1], padding: op.padding };
};

/** The int8 weights of a weight op (int4 sections unpacked), laid out `[reduction, channels]`. */
export const weightsOf = (model: Pick<QModel, 'sections'>, op: WeightOp, x: QTensor, y: QTensor): Int8Array => {
  const g = geometryOf(op, x);
  const channels = y.shape[y.shape.length - 1]!;
  const count = op.op === 'depthwise3x3' ? 9 * channels : g.kernel[0] * g.kernel[1] * g.inShape[3] * channels;
  const sec = model.sections[op.weights]!;
  return op.op !== 'depthwise3x3' && op.bits === 4 ? unpackInt4(sec as Uint8Array, count) : (sec as Int8Array);
};

/** The planner spec of a weight op: a depthwise spec, or a conv spec (conv2d and dense). */
export type WeightSpec =
  | { readonly kind: 'depthwise'; readonly spec: Qs8DepthwiseSpec }
  | { readonly kind: 'conv'; readonly spec: Qs8ConvSpec };

/** Builds the planner spec of a weight op of `model` with input `x` and output `y`. */
export const weightSpecOf = (model: Pick<QModel, 'sections'>, op: WeightOp, x: QTensor, y: QTensor): WeightSpec => {
  const g = geometryOf(op, x);
  const scales = model.sections[op.scales] as Float32Array;
  const common = {
    ...g,
    bias: model.sections[op.bias] as Int32Array,
    multipliers: Float32Array.from(scales, (s) => requantMultiplier(x.quant!.scale, s, y.quant!.scale)),
    xZeroPoint: x.quant!.zeroPoint,
    yZeroPoint: y.quant!.zeroPoint,
    clamp: activationClamp(op.activation, y.quant!),
    weights: weightsOf(model, op, x, y),
  };
  if (op.op === 'depthwise3x3') return { kind: 'depthwise', spec: common };
  return { kind: 'conv', spec: { ...common, cout: y.shape[y.shape.length - 1]!, int4: op.bits === 4 } };
};

/** The window geometry of a pooling op. */
export const poolGeometryOf = (op: PoolingOp, x: QTensor): ConvGeometry =>
  op.op === 'globalAvgPool'
    ? globalPoolGeometry(nhwc(x))
    : { inShape: nhwc(x), kernel: op.size, stride: op.stride, dilation: [1, 1], padding: op.padding };

/** The quantization of an average pool from `x` to `y`. */
export const poolQuantOf = (x: QTensor, y: QTensor): PoolQuant => ({
  xScale: x.quant!.scale,
  xZeroPoint: x.quant!.zeroPoint,
  yScale: y.quant!.scale,
  yZeroPoint: y.quant!.zeroPoint,
});

/** The quantization of an add of `a` and `b` into `y`, with its fused activation. */
export const addQuantOf = (op: AddingOp, a: QTensor, b: QTensor, y: QTensor): AddQuant => ({
  aScale: a.quant!.scale,
  aZeroPoint: a.quant!.zeroPoint,
  bScale: b.quant!.scale,
  bZeroPoint: b.quant!.zeroPoint,
  yScale: y.quant!.scale,
  yZeroPoint: y.quant!.zeroPoint,
  clamp: activationClamp(op.activation, y.quant!),
});
