/**
 * What the weight ops (conv2d, depthwise3x3, dense) share: the checks of their header entry (one
 * int8 input, an int8 output, a fused activation, weight/scale/bias sections of the right sizes),
 * and, for conv2d and dense (a dense layer is a 1×1 conv over one pixel), the cost and the kernel
 * plan of an int8 convolution.
 */
import type { Region } from '../../kernels/arena.js';
import type { ConvGeometry } from '../../kernels/convGeometry.js';
import { convOutSize } from '../../core/shape.js';
import { packedConvBytes } from '../../kernels/qs8Pack.js';
import {
  disposeQs8Conv2d,
  planQs8Conv2d,
  runQs8Conv2dAt,
  validateQs8Conv2d,
  type Qs8ConvSpec,
} from '../../kernels/qs8Conv.js';
import { activation, arity, bad, int8, sectionOf } from '../headerChecks.js';
import { channelsOf, int8WeightsOf, requantOf, type WeightBits, type WeightFields } from '../kernelSpecs.js';
import { isInt7Weights, packedConvI7Bytes } from '../../kernels/qs8ConvRelaxed.js';
import type { QActivation, QTensor } from '../qmodelTypes.js';
import type { KernelPlanInput, KernelStep, OpCost, OpDecodeInput, OpTensors } from './opDefinition.js';

/** The checked input tensor and activation of a weight op: one int8 input, an int8 output. */
export const decodeWeightOpInput = (input: OpDecodeInput): { x: QTensor; activation: QActivation } => {
  arity(input.where, input.raw['op'], input.inputs.length, 1);
  int8(input.where, input.inputs[0]!, 'input');
  int8(input.where, input.output, 'output');
  return { x: input.inputs[0]!, activation: activation(input.raw['activation'], input.where) };
};

/** Refuses conv tensors that are not [H, W, C]. */
export const checkImageTensors = (input: OpDecodeInput): void => {
  if (input.inputs[0]!.shape.length !== 3 || input.output.shape.length !== 3)
    bad(`${input.where}: conv tensors must be [H, W, C]`);
};

/** Refuses a declared output whose [H, W] does not follow from the input and the conv's window. */
export const checkConvOutput = (
  input: OpDecodeInput,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: 'same' | 'valid',
): void => {
  const [h, w] = input.inputs[0]!.shape as [number, number, number];
  const y = input.output;
  const oh = convOutSize(h, kernel[0], stride[0], padding);
  const ow = convOutSize(w, kernel[1], stride[1], padding);
  if (oh !== y.shape[0] || ow !== y.shape[1])
    bad(`${input.where}: output must be [${oh}, ${ow}, ${y.shape[2]!}], declared [${y.shape.join(', ')}]`);
};

/** The bits of a conv2d or dense entry (7: the 7-bit form, see {@link WeightBits}). */
export const decodeBits = (input: OpDecodeInput): WeightBits => {
  const bits = input.raw['bits'];
  if (bits !== 8 && bits !== 7 && bits !== 4) bad(`${input.where}: bits must be 8, 7 or 4`);
  return bits as WeightBits;
};

/** The weight, scale and bias section indices of a weight op with `count` weights and `channels` outputs. */
export const decodeWeightSections = (
  input: OpDecodeInput,
  bits: WeightBits,
  count: number,
  channels: number,
): Omit<WeightFields, 'activation'> => {
  const { sections, raw, where } = input;
  return {
    weights: sectionOf(
      sections,
      raw['weights'],
      bits === 4 ? 'u8' : 'i8',
      bits === 4 ? Math.ceil(count / 2) : count,
      `${where}.weights`,
    ),
    scales: sectionOf(sections, raw['scales'], 'f32', channels, `${where}.scales`),
    bias: sectionOf(sections, raw['bias'], 'i32', channels, `${where}.bias`),
  };
};

/** The int8 weights [kh, kw, Cin, Cout] of a conv (conv2d or dense) of geometry `g` (an int4 section unpacked). */
export const convWeightsOf = (
  g: ConvGeometry,
  op: WeightFields,
  bits: WeightBits,
  { output: y, sections }: OpTensors,
): Int8Array => {
  const w = int8WeightsOf(sections, op, bits, g.kernel[0] * g.kernel[1] * g.inShape[3] * channelsOf(y));
  if (bits === 7 && !isInt7Weights(w))
    bad(`weights section ${op.weights} has bits 7 but holds codes outside [-64, 63]`);
  return w;
};

/** The planner spec of a conv (conv2d or dense) of geometry `g`. */
export const convSpecOf = (g: ConvGeometry, op: WeightFields, bits: WeightBits, t: OpTensors): Qs8ConvSpec => ({
  ...g,
  ...requantOf(t.sections, op, t.inputs[0]!, t.output),
  weights: convWeightsOf(g, op, bits, t),
  cout: channelsOf(t.output),
  int4: bits === 4,
});

/** What a conv (conv2d or dense) costs, after the planner's own checks of its spec. */
export const convCost = (spec: Qs8ConvSpec): OpCost => {
  const { oh, ow } = validateQs8Conv2d(spec);
  const [kh, kw] = spec.kernel;
  const cin = spec.inShape[3];
  return {
    macs: oh * ow * spec.cout * kh * kw * cin,
    // a 7-bit model may run on either path: its packing can take the larger of the two
    packedBytes: Math.max(
      packedConvBytes(kh, kw, cin, spec.cout, spec.int4 ?? false),
      spec.int4 ? 0 : packedConvI7Bytes(kh, kw, cin, spec.cout),
    ),
  };
};

/** The shared scratch as the planners take it: lent when there is one. */
export const lentScratch = (p: KernelPlanInput): { scratch?: Region } => (p.scratch ? { scratch: p.scratch } : {});

/** Plans a conv (conv2d or dense) on the kernels with the shared scratch. */
export const planConv = (p: KernelPlanInput, spec: Qs8ConvSpec): KernelStep => {
  const { kernels: k, runner, outputRegion: y } = p;
  const x = p.inputRegions[0]!;
  const plan = planQs8Conv2d(k, spec, lentScratch(p));
  return {
    run: () => runQs8Conv2dAt(k, plan, x, y, runner),
    packedBytes: plan.packedBytes,
    dispose: () => disposeQs8Conv2d(k, plan),
  };
};
