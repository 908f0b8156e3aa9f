/**
 * What one QModel op is, in one place: how its header entry is decoded and validated, what it asks
 * of the kernels and costs, how the reference executor computes it and how the kernel executor
 * plans it. Every op file (conv2d.ts, dense.ts, …) exports one {@link QOpDefinition}; the op
 * registry (opRegistry.ts, builtinOps.ts) maps op names to them, and the decoder, the semantic
 * checks and both executors look ops up there instead of switching on the name.
 */
import type { Region } from '../../kernels/arena.js';
import type { KernelModule } from '../../kernels/loader.js';
import type { Runner } from '../../kernels/parallel.js';
import type { QModel, QTensor, SectionInfo } from '../qmodelTypes.js';

/** The fields every op has: its name, the tensors it reads (in order) and the one it writes. */
export interface QOpBase {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly output: string;
}

/** What decoding hands an op's decoder: its raw header entry, checked to this point. */
export interface OpDecodeInput {
  /** How errors name the op: `op 3`. */
  readonly where: string;
  /** The header entry; `op` is the definition's name, `inputs` and `output` are checked below. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The tensors the op reads, each declared and defined by an earlier op (arity not yet checked). */
  readonly inputs: readonly QTensor[];
  /** The declared tensor the op writes, not defined before. */
  readonly output: QTensor;
  /** The file's section table, validated. */
  readonly sections: readonly SectionInfo[];
}

/** An op's tensors, resolved, and the model's sections as typed views. */
export interface OpTensors {
  readonly inputs: readonly QTensor[];
  readonly output: QTensor;
  readonly sections: QModel['sections'];
}

/** What one op of one sample costs (summed into the model's {@link ModelCost} and checked against its limits). */
export interface OpCost {
  /** Multiply-accumulates and element operations. */
  readonly macs: number;
  /** Bytes of weights the kernel executor packs into the arena for this op (0 for none). */
  readonly packedBytes: number;
}

/** A tensor's value in the reference executor: f32 tensors as floats, int8 tensors as codes. */
export type TensorValue = Float32Array | Int8Array;

/** One op of the reference executor, prepared once: maps the input values (in `op.inputs` order) to the output. */
export type ReferenceStep = (inputs: readonly TensorValue[]) => TensorValue;

/** What the kernel executor hands an op's planner. */
export interface KernelPlanInput extends OpTensors {
  readonly kernels: KernelModule;
  /** How range kernels are split (one thread or a pool of `kernels`). */
  readonly runner: Runner;
  /** Arena regions of the inputs (`op.inputs` order), each at least the tensor's bytes. */
  readonly inputRegions: readonly Region[];
  /** Arena region of the output, at least the tensor's bytes; it may reuse a dead tensor's region. */
  readonly outputRegion: Region;
  /** The padded-input scratch all ops share, sized by the largest {@link QOpDefinition.scratchBytes}; null when no op needs one. */
  readonly scratch: Region | null;
}

/** One planned op of the kernel executor. */
export interface KernelStep {
  /** Runs the op on the planned regions; allocates nothing. */
  readonly run: () => void;
  /** Bytes of packed weights the plan holds in the arena. */
  readonly packedBytes: number;
  /** Returns what the plan holds in the arena (not the regions it was handed). */
  readonly dispose: () => void;
}

/**
 * The definition of one QModel op. Methods (not function-valued fields) so that a definition of a
 * specific op serves where a definition of any op is expected.
 */
export interface QOpDefinition<Op extends QOpBase> {
  /** The op's name in the file (`op` of its header entry); the registry key. */
  readonly name: Op['op'];
  /**
   * Validates the header entry against its tensors and sections and rebuilds the op from its known
   * fields only. Refuses with the header checks (headerChecks.ts), which decoding reports as `CorruptModel`.
   */
  decode(input: OpDecodeInput): Op;
  /**
   * What the op asks of the kernels beyond its structure (the planners' own checks, finite
   * arithmetic) and its cost. Throws a `KapriError`, which decoding reports as `CorruptModel` naming the op.
   */
  check(op: Op, t: OpTensors): OpCost;
  /** Bytes of the padded-input scratch the op's kernel needs (shared by all ops); none when absent. */
  scratchBytes?(op: Op, t: OpTensors): number;
  /** Prepares the op for the reference executor (the portable specification of its bits). */
  reference(op: Op, t: OpTensors): ReferenceStep;
  /** Plans the op on the kernels: bit-exact with {@link reference} on every decoded model. */
  plan(op: Op, p: KernelPlanInput): KernelStep;
}

/** The op type a definition defines. */
export type OpOf<D> = D extends QOpDefinition<infer Op> ? Op : never;

/** `{op, inputs, output}` of a decoded op, in that key order, from its checked entry. */
export const opHead = <Name extends string>(
  name: Name,
  input: OpDecodeInput,
): { op: Name; inputs: string[]; output: string } => ({
  op: name,
  inputs: input.inputs.map((t) => t.name),
  output: input.output.name,
});

/** A kernel step that holds nothing in the arena (elementwise and pooling ops). */
export const stepOf = (run: () => void): KernelStep => ({ run, packedBytes: 0, dispose: () => {} });
