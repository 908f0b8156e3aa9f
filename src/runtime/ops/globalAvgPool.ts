/** `globalAvgPool`: the average of each channel over [H, W], [H, W, C] → [C], requantized to the output's quantization. */
import { runCall } from '../../kernels/parallel.js';
import { avgPoolCall, checkAvgPool, globalPoolGeometry } from '../../kernels/qs8Pool.js';
import { arity, bad, int8 } from '../headerChecks.js';
import { hwc, nhwc, poolQuantOf } from '../kernelSpecs.js';
import { refGlobalAvgPool } from '../referenceOps.js';
import { opHead, stepOf, type QOpBase, type QOpDefinition } from './opDefinition.js';

export interface GlobalAvgPoolOp extends QOpBase {
  readonly op: 'globalAvgPool';
}

export const globalAvgPoolOp: QOpDefinition<GlobalAvgPoolOp> = {
  name: 'globalAvgPool',
  decode(input) {
    const { where, output: y } = input;
    arity(where, input.raw['op'], input.inputs.length, 1);
    const x = input.inputs[0]!;
    int8(where, x, 'input');
    int8(where, y, 'output');
    if (x.shape.length !== 3 || y.shape.length !== 1 || y.shape[0] !== x.shape[2])
      bad(`${where}: global pooling maps [H, W, C] to [C]`);
    return opHead('globalAvgPool', input);
  },
  check(_op, { inputs, output }) {
    const l = checkAvgPool(globalPoolGeometry(nhwc(inputs[0]!)), poolQuantOf(inputs[0]!, output));
    return { macs: l.outBytes * l.window, packedBytes: 0 };
  },
  reference(_op, { inputs, output }) {
    const x = inputs[0]!;
    const shape = hwc(x);
    return ([v]) => refGlobalAvgPool(v as Int8Array, shape, x.quant!, output.quant!);
  },
  plan(_op, { kernels: k, runner, inputRegions: [x], outputRegion: y, inputs, output }) {
    const g = globalPoolGeometry(nhwc(inputs[0]!));
    const q = poolQuantOf(inputs[0]!, output);
    const call = avgPoolCall(k, g, q, x!, y);
    return stepOf(() => runCall(runner, call));
  },
};
