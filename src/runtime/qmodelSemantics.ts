/**
 * Semantic validation of a structurally valid QModel, run by decoding: every op's kernel spec
 * passes the planners' own checks (so the kernel executor cannot refuse what decoding accepted),
 * every scale and multiplier is a normal float32, no f32 tensor can overflow, every accumulator
 * (bias included) fits int32, and the model's cost stays within the limits. A file that passes
 * runs on both engines to the same finite output for every finite input.
 */
import { KapriError, kapriError } from '../core/errors.js';
import { packedConvBytes, packedDepthwiseBytes } from '../kernels/qs8Pack.js';
import { qs8ConvScratchBytes, validateQs8Conv2d } from '../kernels/qs8Conv.js';
import { qs8DepthwiseScratchBytes, validateQs8Depthwise } from '../kernels/qs8Depthwise.js';
import { checkAddQuant, checkAvgPool, checkPoolGeometry } from '../kernels/qs8Pool.js';
import { checkScale, maxCodeOffset } from '../kernels/validate.js';
import { addQuantOf, poolGeometryOf, poolQuantOf, weightSpecOf, type WeightOp } from './kernelSpecs.js';
import { checkLimit, type ModelLimits } from './qmodelLimits.js';
import type { ModelCost, QModel, QOp, QTensor } from './qmodelTypes.js';

interface OpCost {
  readonly macs: number;
  readonly scratchBytes: number;
  readonly packedBytes: number;
}

const ARENA_ALIGN = 64;
const aligned = (bytes: number): number => Math.ceil(Math.max(bytes, 1) / ARENA_ALIGN) * ARENA_ALIGN;
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const bytesOf = (t: QTensor): number => size(t.shape) * (t.dtype === 'f32' ? 4 : 1);

/** Runs a check; a refusal becomes `CorruptModel` naming `where` (a tensor or an op). */
const at = <T>(where: string, check: () => T): T => {
  try {
    return check();
  } catch (e) {
    if (e instanceof KapriError) throw kapriError('CorruptModel', `${where}: ${e.message}`, { ...e.details, where });
    throw e;
  }
};

const weightOpCost = (model: Omit<QModel, 'cost'>, op: WeightOp, x: QTensor, y: QTensor): OpCost => {
  const scales = model.sections[op.scales] as Float32Array;
  scales.forEach((s, o) => checkScale(`weight scale ${o} (section ${op.scales})`, s));
  const w = weightSpecOf(model, op, x, y);
  if (w.kind === 'depthwise') {
    const { oh, ow } = validateQs8Depthwise(w.spec);
    const c = w.spec.inShape[3];
    return {
      macs: oh * ow * c * 9,
      scratchBytes: qs8DepthwiseScratchBytes(w.spec),
      packedBytes: packedDepthwiseBytes(3, 3, c),
    };
  }
  const { oh, ow } = validateQs8Conv2d(w.spec);
  const [kh, kw] = w.spec.kernel;
  const cin = w.spec.inShape[3];
  return {
    macs: oh * ow * w.spec.cout * kh * kw * cin,
    scratchBytes: qs8ConvScratchBytes(w.spec),
    packedBytes: packedConvBytes(kh, kw, cin, w.spec.cout, w.spec.int4 ?? false),
  };
};

const opCost = (model: Omit<QModel, 'cost'>, op: QOp, t: (name: string) => QTensor): OpCost => {
  const x = t(op.inputs[0]!);
  const y = t(op.output);
  const elementwise = { macs: size(y.shape), scratchBytes: 0, packedBytes: 0 };
  switch (op.op) {
    case 'quantize':
      return elementwise;
    case 'dequantize': {
      // f32(f32(q − zp)·s) for the code farthest from zp: the largest output must stay finite.
      const { scale, zeroPoint } = x.quant!;
      const largest = Math.fround(maxCodeOffset(zeroPoint) * Math.fround(scale));
      if (!Number.isFinite(largest)) {
        throw kapriError(
          'InvalidArgument',
          `dequantizing '${x.name}' (scale ${scale}, zero point ${zeroPoint}) overflows float32; the scale must be below ${3.4e38 / maxCodeOffset(zeroPoint)}`,
        );
      }
      return elementwise;
    }
    case 'conv2d':
    case 'dense':
    case 'depthwise3x3':
      return weightOpCost(model, op, x, y);
    case 'maxPool':
    case 'avgPool':
    case 'globalAvgPool': {
      const g = poolGeometryOf(op, x);
      const l = op.op === 'maxPool' ? checkPoolGeometry(g) : checkAvgPool(g, poolQuantOf(x, y));
      return { macs: l.outBytes * l.window, scratchBytes: 0, packedBytes: 0 };
    }
    case 'add':
      checkAddQuant(addQuantOf(op, x, t(op.inputs[1]!), y));
      return elementwise;
  }
};

/**
 * Checks what a structurally valid model asks of the kernels (see the file comment) and returns its
 * cost. Throws `CorruptModel` naming the tensor or op, or `OutOfBudget` naming the limit.
 */
export const checkModelSemantics = (model: Omit<QModel, 'cost'>, limits: ModelLimits): ModelCost => {
  const { header } = model;
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const t = (name: string): QTensor => byName.get(name)!;
  for (const tensor of header.tensors) {
    if (tensor.dtype === 'i8') at(`tensor '${tensor.name}'`, () => checkScale('quant.scale', tensor.quant!.scale));
  }
  let macs = 0;
  let scratchBytes = 0;
  let arenaBytes = aligned(bytesOf(t(header.inputs[0]!)));
  header.ops.forEach((op, i) => {
    const cost = at(`op ${i} (${op.op} → '${op.output}')`, () => opCost(model, op, t));
    macs += cost.macs;
    scratchBytes = Math.max(scratchBytes, cost.scratchBytes);
    arenaBytes += aligned(bytesOf(t(op.output))) + (cost.packedBytes > 0 ? aligned(cost.packedBytes) : 0);
  });
  if (scratchBytes > 0) arenaBytes += aligned(scratchBytes);
  checkLimit(limits, 'maxMacs', macs, 'the work of one inference (multiply-accumulates and element operations)');
  checkLimit(
    limits,
    'maxArenaBytes',
    arenaBytes,
    'the kernel-arena bytes the model plans (activations without reuse, conv scratch, packed weights)',
  );
  return { macs, arenaBytes };
};
