/**
 * The QModel ops on the JS references of the kernels (src/kernels/reference): the runtime's
 * portable backend and the specification the SIMD kernels match bit for bit. This file only maps
 * the QModel's per-sample tensors ([H, W, C], per-tensor quantization, fused activations) onto
 * the references' batched NHWC calls.
 * Layouts: conv weights [kh, kw, Cin, Cout]; depthwise weights [3, 3, C]; dense weights [D, U].
 */
import type { ConvGeometry } from '../kernels/convGeometry.js';
import { refQs8Add } from '../kernels/reference/qs8Add.js';
import { refQs8Conv2d, type RequantSpec } from '../kernels/reference/qs8Conv.js';
import { refQs8Depthwise } from '../kernels/reference/qs8Depthwise.js';
import { refQs8AvgPool, refQs8MaxPool } from '../kernels/reference/qs8Pool.js';
import { activationClamp, requantMultiplier } from './requantize.js';
import type { QActivation, TensorQuant } from './qmodelTypes.js';

export interface ConvArgs {
  readonly x: Int8Array;
  readonly inShape: readonly [number, number, number];
  readonly xq: TensorQuant;
  readonly w: Int8Array;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly cout: number;
  readonly scales: Float32Array;
  readonly bias: Int32Array;
  readonly yq: TensorQuant;
  readonly activation: QActivation;
}

const geometry = (
  inShape: readonly [number, number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: 'same' | 'valid',
): ConvGeometry => ({
  inShape: [1, ...inShape],
  kernel,
  stride,
  dilation: [1, 1],
  padding,
});

const requant = (
  xq: TensorQuant,
  scales: Float32Array,
  bias: Int32Array,
  yq: TensorQuant,
  activation: QActivation,
): RequantSpec => ({
  bias,
  multipliers: Float32Array.from(scales, (s) => requantMultiplier(xq.scale, s, yq.scale)),
  xZeroPoint: xq.zeroPoint,
  yZeroPoint: yq.zeroPoint,
  clamp: activationClamp(activation, yq),
});

/** Convolution with exact int32 accumulation; padding contributes x = zp (nothing). */
export const refConv2d = (a: ConvArgs): Int8Array =>
  refQs8Conv2d(
    a.x,
    a.w,
    a.cout,
    geometry(a.inShape, a.kernel, a.stride, a.padding),
    requant(a.xq, a.scales, a.bias, a.yq, a.activation),
  );

/** Depthwise 3×3 ('same'), weights [3, 3, C]. */
export const refDepthwise3x3 = (a: Omit<ConvArgs, 'kernel' | 'padding' | 'cout'>): Int8Array =>
  refQs8Depthwise(
    a.x,
    a.w,
    geometry(a.inShape, [3, 3], a.stride, 'same'),
    requant(a.xq, a.scales, a.bias, a.yq, a.activation),
  );

/** Dense [D] → [U]: the 1×1 conv of a 1×1 image with D channels. */
export const refDense = (
  x: Int8Array,
  xq: TensorQuant,
  w: Int8Array,
  units: number,
  scales: Float32Array,
  bias: Int32Array,
  yq: TensorQuant,
  activation: QActivation,
): Int8Array =>
  refQs8Conv2d(
    x,
    w,
    units,
    geometry([1, 1, x.length], [1, 1], [1, 1], 'valid'),
    requant(xq, scales, bias, yq, activation),
  );

/** Max pooling over valid positions (quantization unchanged). */
export const refMaxPool = (
  x: Int8Array,
  inShape: readonly [number, number, number],
  size: readonly [number, number],
  stride: readonly [number, number],
  padding: 'same' | 'valid',
): Int8Array => refQs8MaxPool(x, geometry(inShape, size, stride, padding));

/** Average pooling over valid positions (padding excluded from the count, as tfjs does). */
export const refAvgPool = (
  x: Int8Array,
  inShape: readonly [number, number, number],
  xq: TensorQuant,
  size: readonly [number, number],
  stride: readonly [number, number],
  padding: 'same' | 'valid',
  yq: TensorQuant,
): Int8Array =>
  refQs8AvgPool(x, geometry(inShape, size, stride, padding), {
    xScale: xq.scale,
    xZeroPoint: xq.zeroPoint,
    yScale: yq.scale,
    yZeroPoint: yq.zeroPoint,
  });

/** Global average pooling [H, W, C] → [C]. */
export const refGlobalAvgPool = (
  x: Int8Array,
  inShape: readonly [number, number, number],
  xq: TensorQuant,
  yq: TensorQuant,
): Int8Array => refAvgPool(x, inShape, xq, [inShape[0], inShape[1]], [1, 1], 'valid', yq);

/** y = clamp(rhe(f32(f32((a−za)·ma) + f32((b−zb)·mb))) + zo), ma = f32(sa/so), mb = f32(sb/so). */
export const refAdd = (
  a: Int8Array,
  aq: TensorQuant,
  b: Int8Array,
  bq: TensorQuant,
  yq: TensorQuant,
  activation: QActivation,
): Int8Array =>
  refQs8Add(a, b, {
    aScale: aq.scale,
    aZeroPoint: aq.zeroPoint,
    bScale: bq.scale,
    bZeroPoint: bq.zeroPoint,
    yScale: yq.scale,
    yZeroPoint: yq.zeroPoint,
    clamp: activationClamp(activation, yq),
  });
