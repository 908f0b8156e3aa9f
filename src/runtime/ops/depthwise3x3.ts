/** `depthwise3x3`: a 3×3 depthwise convolution ('same' padding, stride 1 or 2), int8 weights [3, 3, C]. */
import type { ConvGeometry } from '../../kernels/convGeometry.js';
import { packedDepthwiseBytes } from '../../kernels/qs8Pack.js';
import {
  disposeQs8Depthwise,
  planQs8Depthwise,
  qs8DepthwiseScratchBytes,
  runQs8DepthwiseAt,
  validateQs8Depthwise,
  type Qs8DepthwiseSpec,
} from '../../kernels/qs8Depthwise.js';
import { bad } from '../headerChecks.js';
import {
  channelsOf,
  checkWeightScales,
  hwc,
  int8WeightsOf,
  nhwc,
  requantOf,
  type WeightFields,
} from '../kernelSpecs.js';
import type { QModel, QTensor } from '../qmodelTypes.js';
import { refDepthwise3x3 } from '../referenceOps.js';
import { opHead, type OpTensors, type QOpBase, type QOpDefinition } from './opDefinition.js';
import {
  checkConvOutput,
  checkImageTensors,
  decodeWeightOpInput,
  decodeWeightSections,
  lentScratch,
} from './weightOp.js';

/** Depthwise 3×3 over [H, W, C] ('same'), int8 weights [3, 3, C], per-channel scales, int32 bias. */
export interface DepthwiseOp extends QOpBase, WeightFields {
  readonly op: 'depthwise3x3';
  readonly stride: 1 | 2;
}

const geometryOf = (op: DepthwiseOp, x: QTensor): ConvGeometry => ({
  inShape: nhwc(x),
  kernel: [3, 3],
  stride: [op.stride, op.stride],
  dilation: [1, 1],
  padding: 'same',
});

const weightsOf = (sections: QModel['sections'], op: DepthwiseOp, y: QTensor): Int8Array =>
  int8WeightsOf(sections, op, 8, 9 * channelsOf(y));

const specOf = (op: DepthwiseOp, { inputs, output: y, sections }: OpTensors): Qs8DepthwiseSpec => ({
  ...geometryOf(op, inputs[0]!),
  ...requantOf(sections, op, inputs[0]!, y),
  weights: weightsOf(sections, op, y),
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
  check(op, t) {
    checkWeightScales(t.sections, op);
    const spec = specOf(op, t);
    const { oh, ow } = validateQs8Depthwise(spec);
    const c = spec.inShape[3];
    return { macs: oh * ow * c * 9, packedBytes: packedDepthwiseBytes(3, 3, c) };
  },
  scratchBytes: (op, t) => qs8DepthwiseScratchBytes(geometryOf(op, t.inputs[0]!)),
  reference(op, { inputs, output: y, sections }) {
    const x = inputs[0]!;
    const w = weightsOf(sections, op, y);
    return ([v]) =>
      refDepthwise3x3({
        x: v as Int8Array,
        inShape: hwc(x),
        xq: x.quant!,
        w,
        stride: [op.stride, op.stride],
        scales: sections[op.scales] as Float32Array,
        bias: sections[op.bias] as Int32Array,
        yq: y.quant!,
        activation: op.activation,
      });
  },
  plan(op, p) {
    const { kernels: k, runner, outputRegion: y } = p;
    const x = p.inputRegions[0]!;
    const plan = planQs8Depthwise(k, specOf(op, p), lentScratch(p));
    return {
      run: () => runQs8DepthwiseAt(k, plan, x, y, runner),
      packedBytes: plan.packedBytes,
      dispose: () => disposeQs8Depthwise(k, plan),
    };
  },
};
