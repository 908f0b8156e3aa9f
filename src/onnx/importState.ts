/**
 * What the ONNX importer knows while it walks the graph: each ONNX value as an int8 or f32 QModel
 * tensor seen through a layout (NCHW, NHWC or flat), a float view of one (DequantizeLinear), a
 * constant, or the float output of a QDQ-form op waiting for its QuantizeLinear; and the QModel it
 * is building (tensors, ops, sections).
 */
import { kapriError } from '../core/errors.js';
import type { QActivation, QTensor, TensorQuant } from '../runtime/qmodelTypes.js';
import type { TensorData } from './onnxTensorData.js';
import type { Provisional } from './provisionalQuant.js';

/** How an ONNX value lays out its QModel tensor's elements (which are always in HWC order). */
export type Layout = 'nchw' | 'nhwc' | 'flat';

/** An ONNX activation backed by a QModel tensor; `dims` are the ONNX dims without the batch axis. */
export interface ActValue {
  readonly kind: 'act';
  readonly tensor: string;
  readonly layout: Layout;
  readonly dims: readonly number[];
}

/** The float view (DequantizeLinear) of an int8 activation, with the tensor's own quantization. */
export interface DqValue {
  readonly kind: 'dq';
  readonly src: ActValue;
}

/** A constant (an initializer, or a DequantizeLinear of one with its per-axis scales and zero points). */
export interface ConstValue {
  readonly kind: 'const';
  readonly data: TensorData;
  readonly dq?: { readonly scale: Float32Array; readonly zeroPoint: Int32Array; readonly axis: number };
}

/** The float output of a QDQ-form op: `emit` writes the op once a QuantizeLinear gives its output quantization. */
export interface PendingValue {
  readonly kind: 'pending';
  readonly where: string;
  readonly layout: Layout;
  readonly dims: readonly number[];
  readonly activation: QActivation;
  /** Float clamps a Relu / Clip added, checked against the activation's when emitted. */
  readonly clip?: { readonly lo: number; readonly hi: number };
  readonly emit: (out: string, quant: TensorQuant, activation: QActivation) => void;
}

/** A step of an add in kapri's exported form: Cast, then Sub of the zero point, then Mul by the multiplier. */
export interface AddTermValue {
  readonly kind: 'addTerm';
  readonly src: ActValue;
  readonly step: 'cast' | 'centred' | 'scaled';
  readonly multiplier: number;
}

export type Value = ActValue | DqValue | ConstValue | PendingValue | AddTermValue;

/** A QModel op as built (the header's JSON form). */
export type BuiltOp = { op: string; inputs: string[]; output: string } & Record<string, unknown>;

/** The QModel under construction. */
export interface ImportState {
  readonly values: Map<string, Value>;
  readonly tensors: Map<string, QTensor>;
  readonly ops: BuiltOp[];
  readonly sections: (Int8Array | Uint8Array | Int32Array | Float32Array)[];
  /** How many nodes read each ONNX value (graph outputs count as readers). */
  readonly readers: Map<string, number>;
  /** The op types of the nodes that read each ONNX value. */
  readonly readerOps: Map<string, string[]>;
  /** Tensors whose scale their first reader fixes (provisionalQuant.ts). */
  readonly provisional: Map<string, Provisional>;
}

/** Refuses with `Unsupported`, naming where (a node) and why. */
export const refuse: (where: string, why: string) => never = (where, why) => {
  throw kapriError('Unsupported', `${where}: ${why}`, { where });
};

/** Adds a QModel tensor; returns its name. */
export const addTensor = (s: ImportState, t: QTensor): string => {
  if (s.tensors.has(t.name)) refuse(`tensor '${t.name}'`, 'two values map to one QModel tensor name');
  s.tensors.set(t.name, t);
  return t.name;
};

/** The tensor's quantization, a provisional one settled on its fallback. */
export const settledQuant = (s: ImportState, name: string): TensorQuant => {
  const p = s.provisional.get(name);
  if (p) {
    s.tensors.set(name, { ...s.tensors.get(name)!, quant: p.fallback });
    s.provisional.delete(name);
  }
  return s.tensors.get(name)!.quant!;
};

/** Settles a provisional tensor on the quantization `q` a reader gives, when it keeps the producer's arithmetic. */
export const settleOnRead = (s: ImportState, name: string, q: TensorQuant): void => {
  const p = s.provisional.get(name);
  if (p?.accepts(q)) {
    s.tensors.set(name, { ...s.tensors.get(name)!, quant: { scale: q.scale, zeroPoint: q.zeroPoint } });
    s.provisional.delete(name);
  }
};

/** Adds a section; returns its index. */
export const addSection = (s: ImportState, data: Int8Array | Uint8Array | Int32Array | Float32Array): number =>
  s.sections.push(data) - 1;

/** True when the ONNX value's element order is the QModel tensor's HWC order. */
export const inHwcOrder = (layout: Layout, dims: readonly number[]): boolean =>
  layout !== 'nchw' || dims[0] === 1 || dims[1]! * dims[2]! === 1;
