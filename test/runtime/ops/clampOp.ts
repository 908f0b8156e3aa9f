/**
 * A toy op defined outside the runtime, as an op author would: `clamp` limits int8 codes to
 * [lo, hi] (same quantization in and out), computed in JS by both engines (the kernel executor's
 * step reads and writes its arena regions). Its whole definition is this file.
 */
import { sizeOf } from '../../../src/core/shape.js';
import { arity, bad, int8, isInt } from '../../../src/runtime/headerChecks.js';
import { opHead, stepOf, type QOpBase, type QOpDefinition } from '../../../src/runtime/ops/opDefinition.js';

export interface ClampOp extends QOpBase {
  readonly op: 'clamp';
  readonly lo: number;
  readonly hi: number;
}

const clampCodes = (x: Int8Array, y: Int8Array, lo: number, hi: number): void => {
  for (let i = 0; i < x.length; i++) y[i] = Math.min(hi, Math.max(lo, x[i]!));
};

export const clampOp: QOpDefinition<ClampOp> = {
  name: 'clamp',
  decode(input) {
    const { where, raw, inputs, output: y } = input;
    arity(where, raw['op'], inputs.length, 1);
    int8(where, inputs[0]!, 'input');
    int8(where, y, 'output');
    const { lo, hi } = raw;
    if (!isInt(lo, -128, 127) || !isInt(hi, lo, 127)) bad(`${where}: clamp needs codes -128 ≤ lo ≤ hi ≤ 127`);
    return { ...opHead('clamp', input), lo: lo as number, hi: hi as number };
  },
  check: (_op, t) => ({ macs: sizeOf(t.output.shape), packedBytes: 0 }),
  reference:
    (op) =>
    ([x]) => {
      const y = new Int8Array(x!.length);
      clampCodes(x as Int8Array, y, op.lo, op.hi);
      return y;
    },
  plan(op, { kernels: k, inputRegions: [x], outputRegion: y, output }) {
    const n = sizeOf(output.shape);
    // Views are made per run: growing the arena's memory detaches earlier ones.
    return stepOf(() => clampCodes(k.arena.i8(x!, n), k.arena.i8(y, n), op.lo, op.hi));
  },
};
