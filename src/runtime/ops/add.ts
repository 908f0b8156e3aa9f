/** `add`: the requantized elementwise sum of two int8 tensors of one shape (residuals), then the fused activation. */
import { sizeOf } from '../../core/shape.js';
import { runCall } from '../../kernels/parallel.js';
import { addCall, checkAddQuant } from '../../kernels/qs8Pool.js';
import type { AddQuant } from '../../kernels/reference/qs8Add.js';
import { shapesEqual } from '../../core/shape.js';
import { activation, arity, bad, int8 } from '../headerChecks.js';
import type { QActivation, QTensor } from '../qmodelTypes.js';
import { refAdd } from '../referenceOps.js';
import { activationClamp } from '../requantize.js';
import { opHead, stepOf, type QOpBase, type QOpDefinition } from './opDefinition.js';

/** Requantized elementwise add (residuals), then the activation. */
export interface AddOp extends QOpBase {
  readonly op: 'add';
  readonly activation: QActivation;
}

/** The quantization of an add of `a` and `b` into `y`, with its fused activation. */
const addQuantOf = (op: AddOp, a: QTensor, b: QTensor, y: QTensor): AddQuant => ({
  aScale: a.quant!.scale,
  aZeroPoint: a.quant!.zeroPoint,
  bScale: b.quant!.scale,
  bZeroPoint: b.quant!.zeroPoint,
  yScale: y.quant!.scale,
  yZeroPoint: y.quant!.zeroPoint,
  clamp: activationClamp(op.activation, y.quant!),
});

export const addOp: QOpDefinition<AddOp> = {
  name: 'add',
  decode(input) {
    const { where, inputs, output: y } = input;
    arity(where, input.raw['op'], inputs.length, 2);
    inputs.forEach((t) => int8(where, t, 'input'));
    int8(where, y, 'output');
    const act = activation(input.raw['activation'], where);
    if (!shapesEqual(inputs[0]!.shape, inputs[1]!.shape) || !shapesEqual(inputs[0]!.shape, y.shape))
      bad(`${where}: add needs three tensors of one shape`);
    return { ...opHead('add', input), activation: act };
  },
  check(op, { inputs, output }) {
    checkAddQuant(addQuantOf(op, inputs[0]!, inputs[1]!, output));
    return { macs: sizeOf(output.shape), packedBytes: 0 };
  },
  reference(op, { inputs: [a, b], output }) {
    return ([va, vb]) => refAdd(va as Int8Array, a!.quant!, vb as Int8Array, b!.quant!, output.quant!, op.activation);
  },
  plan(op, { kernels: k, runner, inputRegions: [ra, rb], outputRegion: y, inputs, output }) {
    const q = addQuantOf(op, inputs[0]!, inputs[1]!, output);
    const n = sizeOf(output.shape);
    const call = addCall(k, q, ra!, rb!, y, n);
    return stepOf(() => runCall(runner, call));
  },
};
