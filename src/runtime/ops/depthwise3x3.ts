/** `depthwise3x3`: a 3×3 depthwise convolution ('same' padding, stride 1 or 2), int8 weights [3, 3, C]. */
import { qs8DepthwiseScratchBytes } from '../../kernels/qs8Depthwise.js';
import { bad } from '../headerChecks.js';
import { nhwc, type WeightFields } from '../kernelSpecs.js';
import type { QTensor } from '../qmodelTypes.js';
import { depthwiseCost, depthwiseReference, planDepthwise, type DepthwiseGeometry } from './depthwise.js';
import { opHead, type QOpBase, type QOpDefinition } from './opDefinition.js';
import { checkConvOutput, checkImageTensors, decodeWeightOpInput, decodeWeightSections } from './weightOp.js';

/** Depthwise 3×3 over [H, W, C] ('same'), int8 weights [3, 3, C], per-channel scales, int32 bias. */
export interface DepthwiseOp extends QOpBase, WeightFields {
  readonly op: 'depthwise3x3';
  readonly stride: 1 | 2;
}

const geometryOf = (op: DepthwiseOp, x: QTensor): DepthwiseGeometry => ({
  inShape: nhwc(x),
  kernel: [3, 3],
  stride: [op.stride, op.stride],
  dilation: [1, 1],
  padding: 'same',
  depthMultiplier: 1,
});

export const depthwise3x3Op: QOpDefinition<DepthwiseOp> = {
  name: 'depthwise3x3',
  decode(input) {
    const { x, activation } = decodeWeightOpInput(input);
    checkImageTensors(input);
    const s = input.raw['stride'];
    const stride = s === 1 || s === 2 ? s : bad(`${input.where}: depthwise stride must be 1 or 2`);
    const c = x.shape[2]!;
    if (input.output.shape[2] !== c) bad(`${input.where}: depthwise keeps the channel count`);
    checkConvOutput(input, [3, 3], [stride, stride], 'same');
    const sections = decodeWeightSections(input, 8, 9 * c, c);
    return { ...opHead('depthwise3x3', input), stride, activation, ...sections };
  },
  check: (op, t) => depthwiseCost(geometryOf(op, t.inputs[0]!), op, t),
  scratchBytes: (op, t) => qs8DepthwiseScratchBytes(geometryOf(op, t.inputs[0]!)),
  reference: (op, t) => depthwiseReference(geometryOf(op, t.inputs[0]!), op, t),
  plan: (op, p) => planDepthwise(geometryOf(op, p.inputs[0]!), op, p),
};
