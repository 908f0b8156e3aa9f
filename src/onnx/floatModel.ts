/**
 * Whether an ONNX model is a float model — no QuantizeLinear, DequantizeLinear or quantized op, and
 * at least one Conv, Gemm or MatMul — which kapri imports only through calibration
 * (src/compress/quantizeOnnx.ts) rather than exactly (importOnnx.ts).
 */
import { kapriError } from '../core/errors.js';
import { type INodeProto, onnx } from './onnxProto.js';

/** Op types that make a graph a quantized one. */
export const QUANTIZED_OPS: ReadonlySet<string> = new Set([
  'QuantizeLinear',
  'DequantizeLinear',
  'QLinearConv',
  'QLinearMatMul',
  'MatMulInteger',
  'ConvInteger',
]);

/** Whether the nodes are a float model's (see the file comment). */
export const isFloatGraph = (nodes: readonly INodeProto[]): boolean =>
  !nodes.some((n) => QUANTIZED_OPS.has(n.opType ?? '')) &&
  nodes.some((n) => n.opType === 'Conv' || n.opType === 'Gemm' || n.opType === 'MatMul');

/** Whether ONNX bytes are a float model; `CorruptFile` when they are not ONNX. */
export const isFloatOnnx = (bytes: Uint8Array): boolean => {
  let nodes: INodeProto[];
  try {
    nodes = onnx.ModelProto.decode(bytes).graph?.node ?? [];
  } catch (e) {
    throw kapriError('CorruptFile', `not an ONNX model: ${(e as Error).message}`);
  }
  return isFloatGraph(nodes);
};
