/** `dequantize`: int8 → f32 with the input tensor's quantization. */
import { kapriError } from '../../core/errors.js';
import { sizeOf } from '../../core/shape.js';
import { refDequantizeS8 } from '../../kernels/reference/qs8Quantize.js';
import { dequantizeS8At } from '../../kernels/qs8Quantize.js';
import { maxCodeOffset } from '../../kernels/validate.js';
import { arity, checkConversion } from '../headerChecks.js';
import { opHead, stepOf, type QOpBase, type QOpDefinition } from './opDefinition.js';

/** int8 → f32 with the input tensor's quantization. */
export interface DequantizeOp extends QOpBase {
  readonly op: 'dequantize';
}

export const dequantizeOp: QOpDefinition<DequantizeOp> = {
  name: 'dequantize',
  decode(input) {
    arity(input.where, input.raw['op'], input.inputs.length, 1);
    checkConversion(input.where, 'dequantize', input.inputs[0]!, input.output, 'i8', 'f32');
    return opHead('dequantize', input);
  },
  check(_op, { inputs, output }) {
    // f32(f32(q − zp)·s) for the code farthest from zp: the largest output must stay finite.
    const x = inputs[0]!;
    const { scale, zeroPoint } = x.quant!;
    const largest = Math.fround(maxCodeOffset(zeroPoint) * Math.fround(scale));
    if (!Number.isFinite(largest)) {
      throw kapriError(
        'InvalidArgument',
        `dequantizing '${x.name}' (scale ${scale}, zero point ${zeroPoint}) overflows float32; the scale must be below ${3.4e38 / maxCodeOffset(zeroPoint)}`,
      );
    }
    return { macs: sizeOf(output.shape), packedBytes: 0 };
  },
  reference(_op, { inputs }) {
    const { scale, zeroPoint } = inputs[0]!.quant!;
    return ([v]) => refDequantizeS8(v as Int8Array, scale, zeroPoint);
  },
  plan(_op, { kernels: k, inputRegions: [x], outputRegion: y, inputs }) {
    const n = sizeOf(inputs[0]!.shape);
    const q = inputs[0]!.quant!;
    return stepOf(() => dequantizeS8At(k, x!, y, n, q));
  },
};
