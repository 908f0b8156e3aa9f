/**
 * QModel → ONNX: a standard opset-13 graph that onnxruntime runs to the same bits as kapri's
 * executors (docs/contracts.md, "ONNX export"). The op mapping lives in exportOps.ts.
 *
 * @example
 * const model = unwrap(decodeQModel(readFileSync('model.kapri')));
 * writeFileSync('model.onnx', exportOnnx(model));
 */
import { kapriError } from '../core/errors.js';
import { KAPRI_VERSION } from '../core/version.js';
import type { QModel, QTensor } from '../runtime/qmodelTypes.js';
import { EXPORT_OPS, type ExportContext } from './exportOps.js';
import { createGraphBuilder } from './onnxGraphBuilder.js';
import { DataType, EXPORT_IR_VERSION, EXPORT_OPSET, onnx } from './onnxProto.js';

/** The metadata key under which an exported model keeps its QModel's name, producer and meta. */
export const KAPRI_META_KEY = 'kapri.qmodel';

const elemTypeOf = (t: QTensor): number => (t.dtype === 'f32' ? DataType.FLOAT : DataType.INT8);

/**
 * Writes a QModel (built-in ops) as ONNX bytes: QuantizeLinear / DequantizeLinear at the edges,
 * QLinearConv with per-channel weight scales for conv2d, depthwise3x3 and dense (int4 weights
 * widened to int8), Clip for fused activations, MaxPool, and exact expressions of the average pools
 * and add. Graph inputs and outputs keep the QModel's names and NHWC layout with a leading batch
 * axis `N`; int8 outputs stay int8 codes. Throws `Unsupported` naming the op when an op cannot be
 * expressed with the same bits (an op of another registry; an average pool whose padding pads).
 */
export const exportOnnx = (model: QModel): Uint8Array => {
  const { header } = model;
  const g = createGraphBuilder();
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const tensor = (name: string): QTensor => byName.get(name)!;
  const values = new Map<string, string>();
  const value = (name: string): string => {
    let v = values.get(name);
    if (v === undefined) {
      const t = tensor(name);
      v = t.dtype === 'i8' && t.shape.length === 3 ? g.fresh(`${name}.nchw`) : name;
      values.set(name, v);
    }
    return v;
  };
  // Tensors that keep their layout keep their names (reserved first); int8 images get NCHW values
  // under fresh names, and every node and initializer takes a fresh name around them.
  for (const t of header.tensors) if (!(t.dtype === 'i8' && t.shape.length === 3)) values.set(t.name, g.fresh(t.name));
  for (const n of header.inputs) g.io('input', n, elemTypeOf(tensor(n)), tensor(n).shape);
  for (const n of header.outputs) g.io('output', n, elemTypeOf(tensor(n)), tensor(n).shape);
  header.ops.forEach((op, i) => {
    const where = `op ${i} (${op.op} → '${op.output}')`;
    const emit = (EXPORT_OPS as Record<string, ((c: ExportContext, o: typeof op) => void) | undefined>)[op.op];
    if (!Object.hasOwn(EXPORT_OPS, op.op) || emit === undefined) {
      throw kapriError(
        'Unsupported',
        `${where}: the op '${op.op}' has no ONNX export; export takes models of the built-in ops (${Object.keys(EXPORT_OPS).join(', ')})`,
        {
          where,
          op: op.op,
        },
      );
    }
    emit({ g, model, tensor, value, where }, op);
  });
  // An int8 image output is NCHW inside the graph: transpose it back to the NHWC the QModel declares.
  for (const n of header.outputs) {
    if (value(n) !== n) g.node('Transpose', [value(n)], [n], { perm: [0, 2, 3, 1] });
  }
  const meta = JSON.stringify({ name: header.name, producer: header.producer, meta: header.meta });
  return onnx.ModelProto.encode({
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'kapri',
    producerVersion: KAPRI_VERSION,
    docString: `exported by kapri from the QModel '${header.name}' (by ${header.producer})`,
    metadataProps: [{ key: KAPRI_META_KEY, value: meta }],
    graph: g.finish(header.name, ''),
  }).finish();
};
