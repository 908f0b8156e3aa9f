/**
 * ONNX → QModel: an int8 ONNX model (QLinear or QDQ form) as a QModel that kapri's executors run to
 * the bits onnxruntime computes (docs/contracts.md, "ONNX import"). The node mapping lives in
 * importOps.ts.
 *
 * @example
 * const qmodel = importOnnx(readFileSync('model.onnx'));   // QModel bytes
 * const model = await loadModel(qmodel);
 */
import * as E from 'fp-ts/lib/Either.js';
import { fromUnknown, kapriError } from '../core/errors.js';
import { decodeQModel, encodeQModel } from '../runtime/qmodelFile.js';
import type { QModelHeader, QTensor } from '../runtime/qmodelTypes.js';
import { isFloatGraph } from './floatModel.js';
import { IMPORT_OPS } from './importOps.js';
import { inHwcOrder, refuse, settledQuant, type ImportState, type Layout } from './importState.js';
import { DataType, int64, type Int64Like, type IModelProto, type INodeProto, onnx } from './onnxProto.js';
import { tensorData } from './onnxTensorData.js';

const decodeModel = (bytes: Uint8Array): IModelProto => {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw kapriError('CorruptFile', `not an ONNX model: ${(e as Error).message}`);
  }
};

/** Whether the graph input is NHWC: it is quantized, then transposed to NCHW (as kapri's own export writes it). */
const inputIsNhwc = (nodes: readonly INodeProto[], input: string): boolean => {
  const q = nodes.find((n) => n.opType === 'QuantizeLinear' && n.input?.[0] === input);
  const t = q && nodes.find((n) => n.opType === 'Transpose' && n.input?.[0] === q.output?.[0]);
  return (t?.attribute ?? []).some(
    (a) => a.name === 'perm' && (a.ints ?? []).map((v) => int64(v as Int64Like)).join(',') === '0,3,1,2',
  );
};

const staticDims = (
  where: string,
  dims: readonly { dimValue?: Int64Like | null; dimParam?: string | null }[],
): number[] => {
  if (dims.length === 0) refuse(where, 'needs a shape');
  const [batch, ...rest] = dims;
  if (!batch!.dimParam && int64(batch!.dimValue) !== 1)
    refuse(where, 'its first axis must be the batch (symbolic or 1)');
  return rest.map((d) =>
    d.dimParam || int64(d.dimValue) <= 0
      ? refuse(where, 'has a dynamic shape beyond the batch axis')
      : int64(d.dimValue),
  );
};

/**
 * Converts an int8 ONNX model to QModel bytes. Supported: QuantizeLinear / DequantizeLinear at the
 * edges; QLinearConv and DequantizeLinear → Conv → QuantizeLinear (depthwise and grouped included);
 * QLinearMatMul and the QDQ forms of MatMul and Gemm; Relu / Clip as fused activations; MaxPool;
 * Transpose, Reshape, Flatten and Identity where they only relabel dims. uint8 tensors are shifted to
 * int8 exactly; weights must be symmetric (zero point 0, or 128 for uint8). An NCHW image input becomes
 * the QModel's NHWC input. Anything else is refused with `Unsupported` naming the node and the reason;
 * bytes that are not ONNX are `CorruptFile`.
 */
export const importOnnx = (bytes: Uint8Array): Uint8Array => {
  try {
    return convert(decodeModel(bytes));
  } catch (e) {
    // A file that decodes as protobuf yet breaks the ONNX schema's expectations (a missing field, a
    // wrong type) surfaces as another error deep in the walk: it is the file's fault, said as such.
    throw fromUnknown('CorruptFile', 'a malformed ONNX model')(e);
  }
};

const convert = (model: IModelProto): Uint8Array => {
  const graph = model.graph ?? refuse('the model', 'has no graph');
  const opset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!opset || int64(opset.version as Int64Like) < 10)
    refuse('the model', 'needs the default ONNX domain at opset 10 or later');
  const nodes = graph.node ?? [];
  if (isFloatGraph(nodes))
    refuse(
      'the model',
      'is a float model (no QuantizeLinear, DequantizeLinear or QLinear node): kapri quantizes it only from calibration samples (kapri import FILE.onnx --calibration SAMPLES.npy, or quantizeOnnx)',
    );
  const s: ImportState = {
    values: new Map(),
    tensors: new Map(),
    ops: [],
    sections: [],
    readers: new Map(),
    readerOps: new Map(),
    provisional: new Map(),
  };
  for (const t of graph.initializer ?? []) s.values.set(t.name ?? '', { kind: 'const', data: tensorData(t) });
  const inputs = (graph.input ?? []).filter((i) => !s.values.has(i.name ?? ''));
  if (inputs.length !== 1) refuse('the graph', `has ${inputs.length} inputs; kapri runs graphs with exactly one`);
  const input = inputs[0]!;
  const inName = input.name ?? '';
  const where = `graph input '${inName}'`;
  const tt = input.type?.tensorType ?? refuse(where, 'is not a tensor');
  if (tt.elemType !== DataType.FLOAT) refuse(where, 'must be float (kapri quantizes its input itself)');
  const dims = staticDims(where, tt.shape?.dim ?? []);
  let layout: Layout;
  let shape: number[];
  if (dims.length === 1) [layout, shape] = ['flat', dims];
  else if (dims.length === 3 && inputIsNhwc(nodes, inName)) [layout, shape] = ['nhwc', dims];
  else if (dims.length === 3) [layout, shape] = ['nchw', [dims[1]!, dims[2]!, dims[0]!]];
  else return refuse(where, `has rank ${dims.length + 1}; kapri imports [N, D] and [N, C, H, W] (or NHWC) inputs`);
  s.tensors.set(inName, { name: inName, shape, dtype: 'f32' });
  s.values.set(inName, { kind: 'act', tensor: inName, layout, dims });
  for (const n of nodes) {
    for (const i of n.input ?? []) {
      s.readers.set(i, (s.readers.get(i) ?? 0) + 1);
      s.readerOps.set(i, [...(s.readerOps.get(i) ?? []), n.opType ?? '']);
    }
  }
  const outputs = graph.output ?? [];
  for (const o of outputs) s.readers.set(o.name ?? '', (s.readers.get(o.name ?? '') ?? 0) + 1);

  nodes.forEach((node, i) => {
    const w = `node '${node.name || node.output?.[0] || i}' (${node.opType})`;
    if (node.domain && node.domain !== 'ai.onnx')
      refuse(w, `is in the domain '${node.domain}'; kapri imports the default ONNX domain`);
    const handler = Object.hasOwn(IMPORT_OPS, node.opType ?? '') ? IMPORT_OPS[node.opType ?? ''] : undefined;
    if (!handler) return refuse(w, `is not an op kapri imports (${Object.keys(IMPORT_OPS).join(', ')})`);
    handler({ s, node, where: w });
  });

  // Graph outputs: int8 codes as they are, float outputs through a dequantize op; NHWC order only.
  const outNames: string[] = [];
  const rename = new Map<string, string>();
  for (const o of outputs) {
    const name = o.name ?? '';
    const wo = `graph output '${name}'`;
    const v = s.values.get(name) ?? refuse(wo, 'is not produced by an imported node');
    if (v.kind !== 'act' && v.kind !== 'dq') refuse(wo, 'must be an int8 activation or its DequantizeLinear');
    const src = v.kind === 'act' ? v : v.kind === 'dq' ? v.src : refuse(wo, '');
    if (!inHwcOrder(src.layout, src.dims))
      refuse(wo, "is NCHW with several channels and pixels; kapri's outputs are NHWC");
    const t = s.tensors.get(src.tensor)!;
    if (v.kind === 'dq') {
      s.tensors.set(name, { name, shape: t.shape, dtype: 'f32' });
      s.ops.push({ op: 'dequantize', inputs: [src.tensor], output: name });
      outNames.push(name);
      continue;
    }
    if (t.dtype !== 'i8') refuse(wo, 'passes the input through; kapri outputs are computed');
    if (o.type?.tensorType?.elemType === DataType.UINT8)
      refuse(wo, "is uint8; kapri's int8 codes would be shifted by 128");
    if (src.tensor !== name && !s.tensors.has(name) && !rename.has(src.tensor)) rename.set(src.tensor, name);
    outNames.push(rename.get(src.tensor) ?? src.tensor);
  }
  for (const n of [...s.provisional.keys()]) settledQuant(s, n);
  const named = (n: string): string => rename.get(n) ?? n;
  const tensors: QTensor[] = [...s.tensors.values()].map((t) => ({ ...t, name: named(t.name) }));
  const meta = {
    source: 'onnx',
    onnxProducer: model.producerName || 'unknown',
    inputLayout: layout === 'nchw' ? 'NCHW (now NHWC)' : 'NHWC',
  };
  const header = {
    name: graph.name || 'onnx',
    producer: 'kapri import',
    tensors,
    inputs: [inName],
    outputs: outNames,
    ops: s.ops.map((op) => ({ ...op, inputs: op.inputs.map(named), output: named(op.output) })),
    meta,
  } as unknown as Omit<QModelHeader, 'sections'>;
  const out = encodeQModel(header, s.sections);
  const checked = decodeQModel(out, 'the imported model');
  if (E.isLeft(checked))
    throw kapriError('Unsupported', `the converted model fails kapri's checks: ${checked.left.message}`);
  return out;
};
