/**
 * `maxPool` and `avgPool`: windows over [H, W, C] with a size, a stride and a padding; padding is
 * never visited (an average counts valid positions only, as tfjs does). Max pooling keeps the
 * quantization; average pooling requantizes to the output's.
 */
import { convOutSize } from '../../core/shape.js';
import type { ConvGeometry } from '../../kernels/convGeometry.js';
import { runCall } from '../../kernels/parallel.js';
import { avgPoolCall, checkAvgPool, checkPoolGeometry, maxPoolCall } from '../../kernels/qs8Pool.js';
import { arity, bad, int8, pair, padding } from '../headerChecks.js';
import { hwc, nhwc, poolQuantOf } from '../kernelSpecs.js';
import type { QTensor } from '../qmodelTypes.js';
import { refAvgPool, refMaxPool } from '../referenceOps.js';
import { opHead, stepOf, type OpDecodeInput, type QOpBase, type QOpDefinition } from './opDefinition.js';

export interface PoolOp extends QOpBase {
  readonly op: 'maxPool' | 'avgPool';
  readonly size: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: 'same' | 'valid';
}

const geometryOf = (op: PoolOp, x: QTensor): ConvGeometry => ({
  inShape: nhwc(x),
  kernel: op.size,
  stride: op.stride,
  dilation: [1, 1],
  padding: op.padding,
});

const decodePool = <Name extends PoolOp['op']>(name: Name, input: OpDecodeInput): PoolOp & { op: Name } => {
  const { where, raw, output: y } = input;
  arity(where, raw['op'], input.inputs.length, 1);
  const x = input.inputs[0]!;
  int8(where, x, 'input');
  int8(where, y, 'output');
  const [kh, kw] = pair(raw['size'], `${where}.size`);
  const [sh, sw] = pair(raw['stride'], `${where}.stride`);
  const pad = padding(raw['padding'], where);
  if (x.shape.length !== 3 || y.shape.length !== 3 || x.shape[2] !== y.shape[2])
    bad(`${where}: pooling keeps [H, W, C] channels`);
  const oh = convOutSize(x.shape[0]!, kh, sh, pad);
  const ow = convOutSize(x.shape[1]!, kw, sw, pad);
  if (oh !== y.shape[0] || ow !== y.shape[1]) bad(`${where}: output must be [${oh}, ${ow}, ${x.shape[2]}]`);
  if (name === 'maxPool' && (x.quant!.scale !== y.quant!.scale || x.quant!.zeroPoint !== y.quant!.zeroPoint))
    bad(`${where}: max pooling keeps the quantization`);
  return { ...opHead(name, input), size: [kh, kw], stride: [sh, sw], padding: pad };
};

/** Max pooling over valid positions (quantization unchanged). */
export const maxPoolOp: QOpDefinition<PoolOp & { op: 'maxPool' }> = {
  name: 'maxPool',
  decode: (input) => decodePool('maxPool', input),
  check(op, { inputs }) {
    const l = checkPoolGeometry(geometryOf(op, inputs[0]!));
    return { macs: l.outBytes * l.window, packedBytes: 0 };
  },
  reference(op, { inputs }) {
    const shape = hwc(inputs[0]!);
    return ([v]) => refMaxPool(v as Int8Array, shape, op.size, op.stride, op.padding);
  },
  plan(op, { kernels: k, runner, inputRegions: [x], outputRegion: y, inputs }) {
    const g = geometryOf(op, inputs[0]!);
    const call = maxPoolCall(k, g, x!, y);
    return stepOf(() => runCall(runner, call));
  },
};

/** Average pooling over valid positions, requantized to the output's quantization. */
export const avgPoolOp: QOpDefinition<PoolOp & { op: 'avgPool' }> = {
  name: 'avgPool',
  decode: (input) => decodePool('avgPool', input),
  check(op, { inputs, output }) {
    const l = checkAvgPool(geometryOf(op, inputs[0]!), poolQuantOf(inputs[0]!, output));
    return { macs: l.outBytes * l.window, packedBytes: 0 };
  },
  reference(op, { inputs, output }) {
    const x = inputs[0]!;
    const shape = hwc(x);
    return ([v]) => refAvgPool(v as Int8Array, shape, x.quant!, op.size, op.stride, op.padding, output.quant!);
  },
  plan(op, { kernels: k, runner, inputRegions: [x], outputRegion: y, inputs, output }) {
    const g = geometryOf(op, inputs[0]!);
    const q = poolQuantOf(inputs[0]!, output);
    const call = avgPoolCall(k, g, q, x!, y);
    return stepOf(() => runCall(runner, call));
  },
};
