/**
 * The QModel graph: what the edge runtime executes. Tensors are NHWC (signals as H = 1). Every int8
 * tensor carries its per-tensor quantization; weights live in sections of the file.
 */
import type { QOp } from './ops/builtinOps.js';
import type { QOpBase } from './ops/opDefinition.js';

export interface TensorQuant {
  readonly scale: number;
  readonly zeroPoint: number;
}

export interface QTensor {
  readonly name: string;
  /** Shape without the batch axis, e.g. [32, 32, 3] or [64]. */
  readonly shape: readonly number[];
  readonly dtype: 'f32' | 'i8';
  readonly quant?: TensorQuant;
}

export type QActivation = 'none' | 'relu' | 'relu6';

/**
 * An op of a QModel this runtime runs. Each op's type lives in its definition file (src/runtime/ops/);
 * the union is derived from the built-in op registry (ops/builtinOps.ts).
 */
export type { QOp } from './ops/builtinOps.js';

export type SectionDtype = 'i8' | 'u8' | 'i32' | 'f32';

export interface SectionInfo {
  readonly offset: number;
  readonly length: number;
  readonly dtype: SectionDtype;
  readonly crc32: number;
}

/** A QModel's header; `Op` is the op union of the registry it was decoded with (the built-in ops by default). */
export interface QModelHeader<Op extends QOpBase = QOp> {
  readonly name: string;
  readonly producer: string;
  readonly tensors: readonly QTensor[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly ops: readonly Op[];
  readonly sections: readonly SectionInfo[];
  /** Free-form facts for `kapri inspect` (scenario, metric, …). */
  readonly meta: Readonly<Record<string, string | number>>;
}

/** What one inference (one sample) of a model costs, as decoding measured it against its limits. */
export interface ModelCost {
  /** Multiply-accumulates and element operations of one sample. */
  readonly macs: number;
  /** Kernel-arena bytes planned: activations counted without reuse, the conv scratch, packed weights. */
  readonly arenaBytes: number;
}

/** A decoded model: the validated header, its sections as typed views, and its cost. */
export interface QModel<Op extends QOpBase = QOp> {
  readonly header: QModelHeader<Op>;
  readonly sections: readonly (Int8Array | Uint8Array | Int32Array | Float32Array)[];
  readonly bytes: number;
  readonly cost: ModelCost;
}
