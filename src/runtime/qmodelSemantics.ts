/**
 * Semantic validation of a structurally valid QModel, run by decoding: every op's kernel spec
 * passes the planners' own checks (so the kernel executor cannot refuse what decoding accepted),
 * every scale and multiplier is a normal float32, no f32 tensor can overflow, every accumulator
 * (bias included) fits int32, and the model's cost stays within the limits. A file that passes
 * runs on both engines to the same finite output for every finite input.
 */
import { KapriError, kapriError } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { checkScale } from '../kernels/validate.js';
import type { QOpBase } from './ops/opDefinition.js';
import { bindOps, type OpRegistry } from './ops/opRegistry.js';
import { checkLimit, type ModelLimits } from './qmodelLimits.js';
import type { ModelCost, QModel, QTensor } from './qmodelTypes.js';

const ARENA_ALIGN = 64;
const aligned = (bytes: number): number => Math.ceil(Math.max(bytes, 1) / ARENA_ALIGN) * ARENA_ALIGN;
const bytesOf = (t: QTensor): number => sizeOf(t.shape) * (t.dtype === 'f32' ? 4 : 1);

/** Runs a check; a refusal becomes `CorruptModel` naming `where` (a tensor or an op). */
const at = <T>(where: string, check: () => T): T => {
  try {
    return check();
  } catch (e) {
    if (e instanceof KapriError) throw kapriError('CorruptModel', `${where}: ${e.message}`, { ...e.details, where });
    throw e;
  }
};

/**
 * Checks what a structurally valid model asks of the kernels (see the file comment) and returns its
 * cost. Throws `CorruptModel` naming the tensor or op, or `OutOfBudget` naming the limit.
 */
export const checkModelSemantics = <Op extends QOpBase>(
  model: Omit<QModel<Op>, 'cost'>,
  limits: ModelLimits,
  registry: OpRegistry<Op>,
): ModelCost => {
  const { header } = model;
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const t = (name: string): QTensor => byName.get(name)!;
  for (const tensor of header.tensors) {
    if (tensor.dtype === 'i8') at(`tensor '${tensor.name}'`, () => checkScale('quant.scale', tensor.quant!.scale));
  }
  let macs = 0;
  let scratchBytes = 0;
  let arenaBytes = aligned(bytesOf(t(header.inputs[0]!)));
  bindOps(model, registry).forEach(({ op, def, tensors }, i) => {
    const cost = at(`op ${i} (${op.op} → '${op.output}')`, () => ({
      ...def.check(op, tensors),
      scratchBytes: def.scratchBytes?.(op, tensors) ?? 0,
    }));
    macs += cost.macs;
    scratchBytes = Math.max(scratchBytes, cost.scratchBytes);
    arenaBytes += aligned(bytesOf(tensors.output)) + (cost.packedBytes > 0 ? aligned(cost.packedBytes) : 0);
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
