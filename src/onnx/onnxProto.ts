/**
 * The ONNX schema as protobuf messages: the official `onnx.proto` compiled by protobufjs, as the
 * `onnx-proto` package ships it. Everything in src/onnx reads and writes ONNX through these types;
 * nothing here hand-codes the wire format.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxNamespace } from 'onnx-proto';

/** The generated `onnx` namespace: `ModelProto.encode/decode`, `TensorProto.DataType`, … */
export const onnx: typeof OnnxNamespace = onnxProto.onnx;

export type IModelProto = OnnxNamespace.IModelProto;
export type IGraphProto = OnnxNamespace.IGraphProto;
export type INodeProto = OnnxNamespace.INodeProto;
export type ITensorProto = OnnxNamespace.ITensorProto;
export type IValueInfoProto = OnnxNamespace.IValueInfoProto;
export type IAttributeProto = OnnxNamespace.IAttributeProto;

/** ONNX element types kapri reads or writes. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
} as const;

/** The opset every exported graph declares (the default ONNX domain). */
export const EXPORT_OPSET = 13;
/** The IR version that goes with {@link EXPORT_OPSET}. */
export const EXPORT_IR_VERSION = 7;

/** An int64 field as protobufjs decodes it (a number, or a Long when the `long` package is present). */
export type Int64Like = number | { toNumber(): number };

/** The number an int64 field holds. */
export const int64 = (v: Int64Like | null | undefined): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber();
