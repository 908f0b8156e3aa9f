/**
 * `conv2d`: a convolution over [H, W, Cin] with weights [kh, kw, Cin, Cout] (int8, or int4 two a
 * byte), per-output-channel weight scales, an int32 bias and a fused activation.
 */
import type { ConvGeometry } from '../../kernels/convGeometry.js';
import { qs8ConvScratchBytes } from '../../kernels/qs8Conv.js';
import { pair, padding } from '../headerChecks.js';
import { checkWeightScales, hwc, nhwc, type WeightBits, type WeightFields } from '../kernelSpecs.js';
import type { QTensor } from '../qmodelTypes.js';
import { refConv2d } from '../referenceOps.js';
import { opHead, type QOpBase, type QOpDefinition } from './opDefinition.js';
import {
  checkConvOutput,
  checkImageTensors,
  convCost,
  convSpecOf,
  convWeightsOf,
  decodeBits,
  decodeWeightOpInput,
  decodeWeightSections,
  planConv,
} from './weightOp.js';

/** Conv over [H, W, Cin] with weights [kh, kw, Cin, Cout] (int8 or packed int4), per-channel scales, int32 bias. */
export interface Conv2dOp extends QOpBase, WeightFields {
  readonly op: 'conv2d';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: 'same' | 'valid';
  /** The weight form (see {@link WeightBits}). */
  readonly bits: WeightBits;
}

const geometryOf = (op: Conv2dOp, x: QTensor): ConvGeometry => ({
  inShape: nhwc(x),
  kernel: op.kernel,
  stride: op.stride,
  dilation: [1, 1],
  padding: op.padding,
});

export const conv2dOp: QOpDefinition<Conv2dOp> = {
  name: 'conv2d',
  decode(input) {
    const { x, activation } = decodeWeightOpInput(input);
    checkImageTensors(input);
    const [kh, kw] = pair(input.raw['kernel'], `${input.where}.kernel`);
    const [sh, sw] = pair(input.raw['stride'], `${input.where}.stride`);
    const pad = padding(input.raw['padding'], input.where);
    const cout = input.output.shape[2]!;
    checkConvOutput(input, [kh, kw], [sh, sw], pad);
    const bits = decodeBits(input);
    const sections = decodeWeightSections(input, bits, kh * kw * x.shape[2]! * cout, cout);
    return {
      ...opHead('conv2d', input),
      kernel: [kh, kw],
      stride: [sh, sw],
      padding: pad,
      bits,
      activation,
      ...sections,
    };
  },
  check(op, t) {
    checkWeightScales(t.sections, op);
    return convCost(convSpecOf(geometryOf(op, t.inputs[0]!), op, op.bits, t));
  },
  scratchBytes: (op, t) => qs8ConvScratchBytes(geometryOf(op, t.inputs[0]!)),
  reference(op, t) {
    const { inputs, output: y, sections } = t;
    const x = inputs[0]!;
    const w = convWeightsOf(geometryOf(op, x), op, op.bits, t);
    return ([v]) =>
      refConv2d({
        x: v as Int8Array,
        inShape: hwc(x),
        xq: x.quant!,
        w,
        kernel: op.kernel,
        stride: op.stride,
        padding: op.padding,
        cout: y.shape[2]!,
        scales: sections[op.scales] as Float32Array,
        bias: sections[op.bias] as Int32Array,
        yq: y.quant!,
        activation: op.activation,
      });
  },
  plan: (op, p) => planConv(p, convSpecOf(geometryOf(op, p.inputs[0]!), op, op.bits, p)),
};
