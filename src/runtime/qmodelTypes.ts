/**
 * The QModel graph: what the edge runtime executes. Tensors are NHWC (signals as H = 1). Every int8
 * tensor carries its per-tensor quantization; weights live in sections of the file.
 */
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

interface QOpBase {
  readonly inputs: readonly string[];
  readonly output: string;
}

/** f32 → int8 with the output tensor's quantization. */
export interface QuantizeOp extends QOpBase {
  readonly op: 'quantize';
}
/** int8 → f32 with the input tensor's quantization. */
export interface DequantizeOp extends QOpBase {
  readonly op: 'dequantize';
}
/** Conv over [H, W, Cin] with weights [kh, kw, Cin, Cout] (int8 or packed int4), per-channel scales, int32 bias. */
export interface Conv2dOp extends QOpBase {
  readonly op: 'conv2d';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly bits: 8 | 4;
  readonly activation: QActivation;
  /** Section indices. */
  readonly weights: number;
  readonly scales: number;
  readonly bias: number;
}
export interface DepthwiseOp extends QOpBase {
  readonly op: 'depthwise3x3';
  readonly stride: 1 | 2;
  readonly activation: QActivation;
  readonly weights: number;
  readonly scales: number;
  readonly bias: number;
}
/** [D] → [units], weights [D, units]. */
export interface DenseOp extends QOpBase {
  readonly op: 'dense';
  readonly bits: 8 | 4;
  readonly activation: QActivation;
  readonly weights: number;
  readonly scales: number;
  readonly bias: number;
}
export interface PoolOp extends QOpBase {
  readonly op: 'maxPool' | 'avgPool';
  readonly size: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: 'same' | 'valid';
}
export interface GlobalAvgPoolOp extends QOpBase {
  readonly op: 'globalAvgPool';
}
/** Requantized elementwise add (residuals), then the activation. */
export interface AddOp extends QOpBase {
  readonly op: 'add';
  readonly activation: QActivation;
}

export type QOp = QuantizeOp | DequantizeOp | Conv2dOp | DepthwiseOp | DenseOp | PoolOp | GlobalAvgPoolOp | AddOp;

export type SectionDtype = 'i8' | 'u8' | 'i32' | 'f32';

export interface SectionInfo {
  readonly offset: number;
  readonly length: number;
  readonly dtype: SectionDtype;
  readonly crc32: number;
}

export interface QModelHeader {
  readonly name: string;
  readonly producer: string;
  readonly tensors: readonly QTensor[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly ops: readonly QOp[];
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
export interface QModel {
  readonly header: QModelHeader;
  readonly sections: readonly (Int8Array | Uint8Array | Int32Array | Float32Array)[];
  readonly bytes: number;
  readonly cost: ModelCost;
}
