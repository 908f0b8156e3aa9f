/**
 * `depthwise`: a depthwise convolution over [H, W, C] of any window, stride, dilation and padding,
 * with a depth multiplier m: int8 weights [kh, kw, C·m], output channel o reading input channel
 * ⌊o / m⌋ (TFLite's DEPTHWISE_CONV_2D, an ONNX Conv with group = C), per-channel scales, int32
 * bias. `depthwise3x3` (./depthwise3x3.ts) is the older 3×3 'same', m = 1 form; both run on the
 * same kernel and share the helpers here.
 */
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
import { refQs8Depthwise } from '../../kernels/reference/qs8Depthwise.js';
import { bad, pair, padding } from '../headerChecks.js';
import { channelsOf, checkWeightScales, int8WeightsOf, nhwc, requantOf, type WeightFields } from '../kernelSpecs.js';
import type { QTensor } from '../qmodelTypes.js';
import {
  opHead,
  type KernelPlanInput,
  type KernelStep,
  type OpCost,
  type OpTensors,
  type QOpBase,
  type QOpDefinition,
  type ReferenceStep,
} from './opDefinition.js';
import {
  checkConvOutput,
  checkImageTensors,
  decodeWeightOpInput,
  decodeWeightSections,
  lentScratch,
} from './weightOp.js';

/** A depthwise geometry with its multiplier. */
export type DepthwiseGeometry = ConvGeometry & { readonly depthMultiplier: number };

/** The planner spec of a depthwise op of geometry `g`. */
export const depthwiseSpecOf = (g: DepthwiseGeometry, op: WeightFields, t: OpTensors): Qs8DepthwiseSpec => ({
  ...g,
  ...requantOf(t.sections, op, t.inputs[0]!, t.output),
  weights: int8WeightsOf(t.sections, op, 8, g.kernel[0] * g.kernel[1] * channelsOf(t.output)),
});

/** What a depthwise op costs, after the planner's own checks of its spec. */
export const depthwiseCost = (g: DepthwiseGeometry, op: WeightFields, t: OpTensors): OpCost => {
  checkWeightScales(t.sections, op);
  const spec = depthwiseSpecOf(g, op, t);
  const { oh, ow } = validateQs8Depthwise(spec);
  const c = channelsOf(t.output);
  const [kh, kw] = g.kernel;
  return { macs: oh * ow * c * kh * kw, packedBytes: packedDepthwiseBytes(kh, kw, c) };
};

/** The reference executor's step of a depthwise op (the kernels' JS reference on a batch of one). */
export const depthwiseReference = (g: DepthwiseGeometry, op: WeightFields, t: OpTensors): ReferenceStep => {
  const spec = depthwiseSpecOf(g, op, t);
  return ([v]) => refQs8Depthwise(v as Int8Array, spec.weights, g, { ...spec, clamp: spec.clamp ?? [-128, 127] });
};

/** Plans a depthwise op on the kernels with the shared scratch. */
export const planDepthwise = (g: DepthwiseGeometry, op: WeightFields, p: KernelPlanInput): KernelStep => {
  const { kernels: k, runner, outputRegion: y } = p;
  const x = p.inputRegions[0]!;
  const plan = planQs8Depthwise(k, depthwiseSpecOf(g, op, p), lentScratch(p));
  return {
    run: () => runQs8DepthwiseAt(k, plan, x, y, runner),
    packedBytes: plan.packedBytes,
    dispose: () => disposeQs8Depthwise(k, plan),
  };
};

/** A general depthwise convolution (see the file comment). */
export interface DepthwiseGeneralOp extends QOpBase, WeightFields {
  readonly op: 'depthwise';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: 'same' | 'valid';
  /** Output channels per input channel. */
  readonly multiplier: number;
}

const geometryOf = (op: DepthwiseGeneralOp, x: QTensor): DepthwiseGeometry => ({
  inShape: nhwc(x),
  kernel: op.kernel,
  stride: op.stride,
  dilation: op.dilation,
  padding: op.padding,
  depthMultiplier: op.multiplier,
});

const MAX_MULTIPLIER = 64;

export const depthwiseOp: QOpDefinition<DepthwiseGeneralOp> = {
  name: 'depthwise',
  decode(input) {
    const { x, activation } = decodeWeightOpInput(input);
    checkImageTensors(input);
    const { raw, where } = input;
    const kernel = pair(raw['kernel'], `${where}.kernel`);
    const stride = pair(raw['stride'], `${where}.stride`);
    const dilation = pair(raw['dilation'], `${where}.dilation`);
    const pad = padding(raw['padding'], where);
    const m = raw['multiplier'];
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > MAX_MULTIPLIER)
      bad(`${where}.multiplier must be an integer in [1, ${MAX_MULTIPLIER}]`);
    const multiplier = m as number;
    const c = x.shape[2]! * multiplier;
    if (input.output.shape[2] !== c)
      bad(
        `${where}: a depthwise output has input channels × multiplier = ${c} channels, declared ${input.output.shape[2]}`,
      );
    const span = (i: 0 | 1) => (kernel[i] - 1) * dilation[i] + 1;
    checkConvOutput(input, [span(0), span(1)], stride, pad);
    const sections = decodeWeightSections(input, 8, kernel[0] * kernel[1] * c, c);
    return {
      ...opHead('depthwise', input),
      kernel,
      stride,
      dilation,
      padding: pad,
      multiplier,
      activation,
      ...sections,
    };
  },
  check: (op, t) => depthwiseCost(geometryOf(op, t.inputs[0]!), op, t),
  scratchBytes: (op, t) => qs8DepthwiseScratchBytes(geometryOf(op, t.inputs[0]!)),
  reference: (op, t) => depthwiseReference(geometryOf(op, t.inputs[0]!), op, t),
  plan: (op, p) => planDepthwise(geometryOf(op, p.inputs[0]!), op, p),
};
