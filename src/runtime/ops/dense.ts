/** `dense`: [D] → [units] with weights [D, units] (int8, or int4 two a byte), run as a 1×1 conv over one pixel. */
import type { ConvGeometry } from '../../kernels/convGeometry.js';
import { qs8ConvScratchBytes } from '../../kernels/qs8Conv.js';
import { bad } from '../headerChecks.js';
import { checkWeightScales, type WeightBits, type WeightFields } from '../kernelSpecs.js';
import type { QTensor } from '../qmodelTypes.js';
import { refDense } from '../referenceOps.js';
import { opHead, type QOpBase, type QOpDefinition } from './opDefinition.js';
import {
  convCost,
  convSpecOf,
  convWeightsOf,
  decodeBits,
  decodeWeightOpInput,
  decodeWeightSections,
  planConv,
} from './weightOp.js';

/** [D] → [units], weights [D, units]. */
export interface DenseOp extends QOpBase, WeightFields {
  readonly op: 'dense';
  /** The weight form (see {@link WeightBits}). */
  readonly bits: WeightBits;
}

/** A dense layer is a 1×1 conv over one pixel of D channels. */
const geometryOf = (x: QTensor): ConvGeometry => ({
  inShape: [1, 1, 1, x.shape[0]!],
  kernel: [1, 1],
  stride: [1, 1],
  dilation: [1, 1],
  padding: 'valid',
});

export const denseOp: QOpDefinition<DenseOp> = {
  name: 'dense',
  decode(input) {
    const { x, activation } = decodeWeightOpInput(input);
    const y = input.output;
    if (x.shape.length !== 1 || y.shape.length !== 1) bad(`${input.where}: dense tensors must be flat`);
    const bits = decodeBits(input);
    const sections = decodeWeightSections(input, bits, x.shape[0]! * y.shape[0]!, y.shape[0]!);
    return { ...opHead('dense', input), bits, activation, ...sections };
  },
  check(op, t) {
    checkWeightScales(t.sections, op);
    return convCost(convSpecOf(geometryOf(t.inputs[0]!), op, op.bits, t));
  },
  scratchBytes: (_op, t) => qs8ConvScratchBytes(geometryOf(t.inputs[0]!)),
  reference(op, t) {
    const { inputs, output: y, sections } = t;
    const x = inputs[0]!;
    const w = convWeightsOf(geometryOf(x), op, op.bits, t);
    return ([v]) =>
      refDense(
        v as Int8Array,
        x.quant!,
        w,
        y.shape[0]!,
        sections[op.scales] as Float32Array,
        sections[op.bias] as Int32Array,
        y.quant!,
        op.activation,
      );
  },
  plan: (op, p) => planConv(p, convSpecOf(geometryOf(p.inputs[0]!), op, op.bits, p)),
};
