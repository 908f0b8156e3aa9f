/** `quantize`: f32 → int8 with the output tensor's quantization. */
import { sizeOf } from '../../core/shape.js';
import { refQuantizeF32 } from '../../kernels/reference/qs8Quantize.js';
import { quantizeF32At } from '../../kernels/qs8Quantize.js';
import { arity, checkConversion } from '../headerChecks.js';
import { opHead, stepOf, type QOpBase, type QOpDefinition } from './opDefinition.js';

/** f32 → int8 with the output tensor's quantization. */
export interface QuantizeOp extends QOpBase {
  readonly op: 'quantize';
}

export const quantizeOp: QOpDefinition<QuantizeOp> = {
  name: 'quantize',
  decode(input) {
    arity(input.where, input.raw['op'], input.inputs.length, 1);
    checkConversion(input.where, 'quantize', input.inputs[0]!, input.output, 'f32', 'i8');
    return opHead('quantize', input);
  },
  check: (_op, t) => ({ macs: sizeOf(t.output.shape), packedBytes: 0 }),
  reference(_op, { output: y }) {
    const { scale, zeroPoint } = y.quant!;
    return ([v]) => refQuantizeF32(v as Float32Array, scale, zeroPoint);
  },
  plan(_op, { kernels: k, inputRegions: [x], outputRegion: y, output }) {
    const n = sizeOf(output.shape);
    const q = output.quant!;
    return stepOf(() => quantizeF32At(k, x!, y, n, q));
  },
};
