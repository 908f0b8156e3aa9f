/**
 * What the ops' kernel calls share: a tensor as an NHWC batch of one, the requantization and int8
 * weights of a weight op (conv2d, depthwise3x3, dense) as the planners take them, and the
 * quantization of an average pool. Decoding validates the specs built from these with the planners'
 * own checks and the kernel executor plans the same specs, so a file that decodes is a file that plans.
 */
import { unpackInt4 } from '../kernels/int4.js';
import type { RequantSpec } from '../kernels/reference/qs8Conv.js';
import type { PoolQuant } from '../kernels/reference/qs8Pool.js';
import { checkScale } from '../kernels/validate.js';
import type { QActivation, QModel, QTensor } from './qmodelTypes.js';
import { activationClamp, requantMultiplier } from './requantize.js';

/**
 * The weight forms of a conv2d or dense op (`bits`): int8, the 7-bit form (int8 codes in [−64, 63],
 * which the relaxed int8 kernels run where the engine's probe passes; version-2 files only), or
 * int4 packed two a byte.
 */
export type WeightBits = 8 | 7 | 4;

/** The section indices and fused activation every weight op carries. */
export interface WeightFields {
  readonly activation: QActivation;
  /** Section of the weights: int8, or two int4 values a byte when the op's bits are 4. */
  readonly weights: number;
  /** Section of the per-output-channel weight scales (f32). */
  readonly scales: number;
  /** Section of the per-output-channel int32 biases. */
  readonly bias: number;
}

type Sections = QModel['sections'];

/** A tensor as a batch of one NHWC image (a flat [C] tensor is one pixel of C channels). */
export const nhwc = (t: QTensor): [number, number, number, number] => {
  const [h, w, c] = t.shape.length === 1 ? [1, 1, t.shape[0]!] : (t.shape as unknown as [number, number, number]);
  return [1, h, w, c];
};

/** An image tensor's [H, W, C]. */
export const hwc = (t: QTensor): [number, number, number] => t.shape as unknown as [number, number, number];

/** The last axis of a tensor: a weight op's output channels. */
export const channelsOf = (t: QTensor): number => t.shape[t.shape.length - 1]!;

/** The int8 weights of a weight op, `count` of them (an int4 section unpacked), laid out `[reduction, channels]`. */
export const int8WeightsOf = (sections: Sections, op: WeightFields, bits: WeightBits, count: number): Int8Array => {
  const sec = sections[op.weights]!;
  return bits === 4 ? unpackInt4(sec as Uint8Array, count) : (sec as Int8Array);
};

/** Refuses a weight scale that is not a normal float32, naming its channel and section. */
export const checkWeightScales = (sections: Sections, op: WeightFields): void => {
  const scales = sections[op.scales] as Float32Array;
  scales.forEach((s, o) => checkScale(`weight scale ${o} (section ${op.scales})`, s));
};

/** The requantization of a weight op from `x` to `y` as the planners take it (bias, multipliers, zero points, clamp). */
export const requantOf = (sections: Sections, op: WeightFields, x: QTensor, y: QTensor): RequantSpec => {
  const scales = sections[op.scales] as Float32Array;
  return {
    bias: sections[op.bias] as Int32Array,
    multipliers: Float32Array.from(scales, (s) => requantMultiplier(x.quant!.scale, s, y.quant!.scale)),
    xZeroPoint: x.quant!.zeroPoint,
    yZeroPoint: y.quant!.zeroPoint,
    clamp: activationClamp(op.activation, y.quant!),
  };
};

/** The quantization of an average pool from `x` to `y`. */
export const poolQuantOf = (x: QTensor, y: QTensor): PoolQuant => ({
  xScale: x.quant!.scale,
  xZeroPoint: x.quant!.zeroPoint,
  yScale: y.quant!.scale,
  yZeroPoint: y.quant!.zeroPoint,
});
