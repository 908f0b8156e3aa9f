/**
 * A float ONNX model + calibration samples → a QModel, by kapri's own calibration: the float graph
 * is run on the samples (onnxFloatEval.ts), every activation's range is calibrated per tensor
 * (calibration.ts), weights are quantized per output channel (weightQuant.ts) and biases to int32 at
 * s_x·s_w; the graph is rewritten in the int8 forms the ONNX importer reads exactly (QDQ Conv / Gemm /
 * MatMul with fused Relu / Clip, MaxPool / Reshape / Flatten on int8 codes, an average as a depthwise
 * QLinearConv of ones, an add as kapri's requantized add) and imported (src/onnx/importOnnx.ts).
 * The result approximates the float model within the error of int8 quantization.
 *
 * @example
 * const samples = readNpy(readFileSync('samples.npy'), 'samples.npy');  // [N, C, H, W] float32
 * const qmodel = quantizeOnnx(readFileSync('model.onnx'), { data: samples.data, shape: samples.shape });
 */
import { kapriError } from '../core/errors.js';
import { QUANTIZED_OPS } from '../onnx/floatModel.js';
import { importOnnx } from '../onnx/importOnnx.js';
import { type AttributeValue, createGraphBuilder } from '../onnx/onnxGraphBuilder.js';
import { type TensorData, tensorData } from '../onnx/onnxTensorData.js';
import {
  DataType,
  EXPORT_IR_VERSION,
  EXPORT_OPSET,
  type INodeProto,
  int64,
  type Int64Like,
  type IModelProto,
  onnx,
} from '../onnx/onnxProto.js';
import { roundHalfEven } from '../kernels/reference/rounding.js';
import type { ActivationQuant } from './activationQuant.js';
import { calibrate, type CalibrationMethod, strideSample } from './calibration.js';
import { evalFloatOnnx, type FloatValue, onnxWindow } from './onnxFloatEval.js';
import { quantizeWeights } from './weightQuant.js';

/** Calibration samples in the model's input layout: `shape` is [N, ...the graph input's dims]. */
export interface CalibrationSamples {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface QuantizeOnnxOptions {
  /** How activation ranges are calibrated (default: the 99.99th percentile, as kapri's export). */
  readonly calibration?: CalibrationMethod;
  /** Samples per evaluation batch (default 16). */
  readonly batchSize?: number;
  /** At most this many values per tensor are kept for calibration (strided subsample; default 200,000). */
  readonly maxValuesPerTensor?: number;
}

const f = Math.fround;
const FUSABLE = new Set(['Conv', 'Gemm', 'MatMul', 'Add']);

const refuse = (where: string, why: string): never => {
  throw kapriError('Unsupported', `${where}: ${why}`, { where });
};

const decode = (bytes: Uint8Array): IModelProto => {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw kapriError('CorruptFile', `not an ONNX model: ${(e as Error).message}`);
  }
};

/** A node's attributes as the graph builder takes them (ints, floats, strings and int lists). */
const attrsOf = (nd: INodeProto): Record<string, AttributeValue> => {
  const out: Record<string, AttributeValue> = {};
  for (const a of nd.attribute ?? []) {
    const name = a.name ?? '';
    if (a.type === 1) out[name] = { float: a.f ?? 0 };
    else if (a.type === 2) out[name] = int64(a.i as Int64Like);
    else if (a.type === 3) out[name] = new TextDecoder().decode(a.s ?? new Uint8Array());
    else if (a.type === 7) out[name] = (a.ints ?? []).map((v) => int64(v as Int64Like));
    else
      refuse(
        `node '${nd.name || nd.output?.[0]}' (${nd.opType})`,
        `its attribute '${name}' is of a kind kapri does not carry over`,
      );
  }
  return out;
};

/** The graph input's dims without the batch axis, checked static. */
const inputDims = (model: IModelProto): { name: string; dims: number[] } => {
  const graph = model.graph!;
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !inits.has(i.name));
  if (inputs.length !== 1) refuse('the graph', `has ${inputs.length} inputs; kapri imports graphs with exactly one`);
  const input = inputs[0]!;
  const where = `graph input '${input.name}'`;
  const tt = input.type?.tensorType ?? refuse(where, 'is not a tensor');
  if (tt.elemType !== DataType.FLOAT) refuse(where, 'must be float32 in a float model');
  const [batch, ...rest] = tt.shape?.dim ?? [];
  if (!batch || (!batch.dimParam && int64(batch.dimValue as Int64Like) !== 1))
    refuse(where, 'its first axis must be the batch (symbolic or 1)');
  const dims = rest.map((d) =>
    d.dimParam || int64(d.dimValue as Int64Like) <= 0
      ? refuse(where, 'has a dynamic shape beyond the batch axis')
      : int64(d.dimValue as Int64Like),
  );
  if (dims.length !== 1 && dims.length !== 3) refuse(where, 'must be [N, D] or [N, C, H, W]');
  return { name: input.name ?? '', dims };
};

/** Checks the samples against the input: `InvalidShape` / `InvalidData` naming what was expected. */
const checkSamples = (samples: CalibrationSamples, dims: readonly number[]): number => {
  const want = `[N, ${dims.join(', ')}]`;
  const [n, ...rest] = samples.shape;
  if (n === undefined || rest.length !== dims.length || rest.some((d, i) => d !== dims[i]))
    throw kapriError(
      'InvalidShape',
      `calibration samples have shape [${samples.shape.join(', ')}]; the model's input takes ${want}`,
      { expected: want, got: [...samples.shape] },
    );
  if (!(n >= 1))
    throw kapriError('InvalidShape', `calibration needs at least one sample; got shape [${samples.shape.join(', ')}]`);
  if (samples.data.length !== n * rest.reduce((a, b) => a * b, 1))
    throw kapriError(
      'InvalidShape',
      `calibration samples hold ${samples.data.length} values, not the ${samples.shape.join('×')} their shape says`,
    );
  const bad = samples.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw kapriError('InvalidData', `calibration sample value ${bad} is ${samples.data[bad]}; samples must be finite`, {
      index: bad,
    });
  return n;
};

/** Every value's float activations over the samples (strided subsample past `maxValues`). */
const gather = (
  model: IModelProto,
  constants: ReadonlyMap<string, TensorData>,
  input: { name: string; dims: number[] },
  samples: CalibrationSamples,
  n: number,
  batchSize: number,
  maxValues: number,
): { values: Map<string, Float32Array>; dims: Map<string, readonly number[]> } => {
  const per = samples.data.length / n;
  const chunks = new Map<string, Float32Array[]>();
  const dims = new Map<string, readonly number[]>();
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    const x: FloatValue = { dims: [b, ...input.dims], data: samples.data.subarray(start * per, (start + b) * per) };
    for (const [k, v] of evalFloatOnnx(model.graph!, constants, input.name, x)) {
      chunks.set(k, [...(chunks.get(k) ?? []), v.data]);
      dims.set(k, v.dims.slice(1));
    }
  }
  const values = new Map<string, Float32Array>();
  for (const [k, parts] of chunks) values.set(k, strideSample(parts, maxValues));
  return { values, dims };
};

/** Quantizes a float ONNX model on calibration samples to QModel bytes (see the file comment). */
export const quantizeOnnx = (
  bytes: Uint8Array,
  samples: CalibrationSamples,
  options: QuantizeOnnxOptions = {},
): Uint8Array => {
  const model = decode(bytes);
  const graph = model.graph ?? refuse('the model', 'has no graph');
  const quantized = (graph.node ?? []).find((n) => QUANTIZED_OPS.has(n.opType ?? ''));
  if (quantized)
    throw kapriError(
      'InvalidArgument',
      `the model is already quantized (node '${quantized.name || quantized.output?.[0]}' is ${quantized.opType}); import it without calibration samples`,
    );
  const input = inputDims(model);
  const n = checkSamples(samples, input.dims);
  const constants = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', tensorData(t)]));
  const { values, dims } = gather(
    model,
    constants,
    input,
    samples,
    n,
    options.batchSize ?? 16,
    options.maxValuesPerTensor ?? 200_000,
  );
  const method = options.calibration ?? { kind: 'percentile' };
  const quant = new Map<string, ActivationQuant>();
  const quantOf = (v: string): ActivationQuant => {
    let q = quant.get(v);
    if (!q) {
      q = calibrate(values.get(v)!, method);
      q = { scale: f(q.scale), zeroPoint: q.zeroPoint };
      quant.set(v, q);
    }
    return q;
  };

  const g = createGraphBuilder();
  // the original names stay what they are: new constants and nodes take fresh names around them
  for (const t of graph.initializer ?? []) g.fresh(t.name ?? '');
  for (const nd of graph.node ?? []) for (const o of nd.output ?? []) g.fresh(o);
  g.fresh(input.name);
  const constant = (hint: string, data: Float32Array | Int8Array | Int32Array, d: readonly number[]): string =>
    g.constant(hint, data, d);
  const node = (opType: string, ins: string[], outs: string[], attrs: Record<string, AttributeValue> = {}) => {
    g.node(opType, ins, outs, attrs);
  };
  const q8 = (v: string) => `${v}::q`;
  /** The float name consumers read for value v: the graph input is re-read through its DequantizeLinear. */
  const fl = (v: string) => (v === input.name ? `${v}::dq` : v);
  /** Q then DQ of a quantization point: `from` (float) → v::q (int8) → v (float), at v's calibration. */
  const qdq = (from: string, v: string, q: ActivationQuant, quantizeScale?: number) => {
    node(
      'QuantizeLinear',
      [from, constant(v, Float32Array.of(quantizeScale ?? q.scale), []), constant(v, Int8Array.of(q.zeroPoint), [])],
      [q8(v)],
    );
    node(
      'DequantizeLinear',
      [q8(v), constant(v, Float32Array.of(q.scale), []), constant(v, Int8Array.of(q.zeroPoint), [])],
      [fl(v)],
    );
  };
  /** DQ of an int8 value (no Q: its codes come from an int8 op). */
  const dqOnly = (v: string, q: ActivationQuant) =>
    node(
      'DequantizeLinear',
      [q8(v), constant(v, Float32Array.of(q.scale), []), constant(v, Int8Array.of(q.zeroPoint), [])],
      [fl(v)],
    );

  const readers = new Map<string, INodeProto[]>();
  for (const nd of graph.node ?? []) for (const i of nd.input ?? []) readers.set(i, [...(readers.get(i) ?? []), nd]);
  const outputs = new Set((graph.output ?? []).map((o) => o.name));
  /** The Relu / Clip fused into a producer: the only reader of its output, not itself a graph output. */
  const fusedAct = (out: string): INodeProto | undefined => {
    const r = readers.get(out) ?? [];
    return r.length === 1 && !outputs.has(out) && (r[0]!.opType === 'Relu' || r[0]!.opType === 'Clip')
      ? r[0]
      : undefined;
  };
  const fused = new Set<INodeProto>();

  quant.set(input.name, quantOf(input.name));
  qdq(input.name, input.name, quantOf(input.name));
  for (const [i, nd] of (graph.node ?? []).entries()) {
    const where = `node '${nd.name || nd.output?.[0] || i}' (${nd.opType})`;
    const ins = nd.input ?? [];
    const out = nd.output?.[0] ?? refuse(where, 'has no output');
    if (fused.has(nd)) continue;
    if (nd.opType === 'Relu' || nd.opType === 'Clip')
      refuse(where, 'a Relu / Clip must be the only reader of a Conv, Gemm or MatMul (or, a Relu, of an Add) output');
    const act = FUSABLE.has(nd.opType ?? '') ? fusedAct(out) : undefined;
    if (act) fused.add(act);
    const point = act ? act.output![0]! : out;
    const yq = quantOf(point);
    /** Emits the producer into `target` and, through the fused activation, quantizes at `point`. */
    const finish = (target: string, quantizeScale?: number) => {
      if (act) {
        node(act.opType!, [target, ...(act.input ?? []).slice(1)], [`${point}::f`], attrsOf(act));
        qdq(`${point}::f`, point, yq, quantizeScale);
      } else qdq(target, point, yq, quantizeScale);
    };
    const target = `${out}::f`;
    switch (nd.opType) {
      case 'Conv':
      case 'Gemm':
      case 'MatMul': {
        const w = constants.get(ins[1] ?? '') ?? refuse(where, 'needs constant weights (an initializer)');
        const transB = nd.opType === 'Gemm' && attrsOf(nd)['transB'] === 1;
        const m = nd.opType === 'Conv' || transB ? w.dims[0]! : w.dims[1]!;
        const k = w.values.length / m;
        const outFirst = nd.opType === 'Conv' || transB;
        // quantizeWeights wants the output channel last
        const wf = Float32Array.from(w.values as Float32Array);
        const last = outFirst
          ? Float32Array.from({ length: wf.length }, (_, j) => wf[(j % m) * k + Math.floor(j / m)]!)
          : wf;
        const qw = quantizeWeights(last, m, 8);
        const wq = outFirst
          ? Int8Array.from({ length: wf.length }, (_, j) => qw.q[(j % k) * m + Math.floor(j / k)]!)
          : qw.q;
        const axis = outFirst ? 0 : 1;
        const wName = `${ins[1]}::dq`;
        node(
          'DequantizeLinear',
          [constant(ins[1]!, wq, w.dims), constant(ins[1]!, qw.scales, [m]), constant(ins[1]!, new Int8Array(m), [m])],
          [wName],
          { axis },
        );
        const xs = quantOf(ins[0]!).scale;
        const newIns = [fl(ins[0]!), wName];
        if (ins[2]) {
          const b = constants.get(ins[2]) ?? refuse(where, 'needs a constant bias');
          const bs = Float32Array.from(qw.scales, (s) => f(f(xs) * f(s)));
          const bq = Int32Array.from({ length: m }, (_, o) =>
            Math.max(
              -2147483647,
              Math.min(2147483647, roundHalfEven(b.values[b.values.length === 1 ? 0 : o]! / bs[o]!)),
            ),
          );
          const bName = `${ins[2]}::dq`;
          node(
            'DequantizeLinear',
            [constant(ins[2], bq, [m]), constant(ins[2], bs, [m]), constant(ins[2], new Int32Array(m), [m])],
            [bName],
            { axis: 0 },
          );
          newIns.push(bName);
        }
        node(nd.opType!, newIns, [act ? out : target], attrsOf(nd));
        finish(act ? out : target);
        break;
      }
      case 'Add': {
        if (act && act.opType !== 'Relu') refuse(`${where} with its Clip`, 'only a Relu is fused into an Add');
        const terms = ins.slice(0, 2).map((v, t) => {
          const q = quant.get(v) ?? refuse(where, `input '${v}' is not an activation`);
          const c = `${out}::t${t}`;
          node('Cast', [q8(v)], [`${c}c`], { to: DataType.FLOAT });
          node('Sub', [`${c}c`, constant(c, Float32Array.of(q.zeroPoint), [])], [`${c}s`]);
          node('Mul', [`${c}s`, constant(c, Float32Array.of(f(q.scale / yq.scale)), [])], [`${c}m`]);
          return `${c}m`;
        });
        node('Add', terms, [act ? out : target]);
        finish(act ? out : target, 1);
        break;
      }
      case 'MaxPool':
      case 'Reshape':
      case 'Flatten':
      case 'Identity': {
        // on the int8 codes, keeping the input's quantization
        const q = quant.get(ins[0]!) ?? refuse(where, `input '${ins[0]}' is not an activation`);
        quant.set(out, q);
        node(nd.opType!, [q8(ins[0]!), ...ins.slice(1)], [q8(out)], attrsOf(nd));
        dqOnly(out, q);
        break;
      }
      case 'AveragePool':
      case 'GlobalAveragePool': {
        const x = ins[0]!;
        const xq = quant.get(x) ?? refuse(where, `input '${x}' is not an activation`);
        const [c, h, w] = dims.get(x) as [number, number, number];
        const win =
          nd.opType === 'GlobalAveragePool'
            ? { kernel: [h, w], strides: [1, 1], pads: [0, 0, 0, 0] }
            : onnxWindow(nd, where);
        if (win.pads.some((p) => p !== 0))
          refuse(
            where,
            'a padded average divides border windows by fewer positions; kapri imports unpadded averages only',
          );
        const count = win.kernel[0]! * win.kernel[1]!;
        node(
          'QLinearConv',
          [
            q8(x),
            constant(x, Float32Array.of(xq.scale), []),
            constant(x, Int8Array.of(xq.zeroPoint), []),
            constant(out, new Int8Array(c * count).fill(1), [c, 1, win.kernel[0]!, win.kernel[1]!]),
            constant(out, new Float32Array(c).fill(1), [c]),
            constant(out, new Int8Array(c), [c]),
            constant(out, Float32Array.of(f(f(count) * yq.scale)), []),
            constant(out, Int8Array.of(yq.zeroPoint), []),
            constant(out, new Int32Array(c), [c]),
          ],
          [q8(out)],
          { kernel_shape: win.kernel, strides: win.strides, pads: [0, 0, 0, 0], group: c },
        );
        dqOnly(out, yq);
        break;
      }
      default:
        refuse(where, 'is not an op a calibrated import takes');
    }
  }
  const built = g.finish(graph.name ?? 'onnx', '');
  const qdqModel = onnx.ModelProto.encode({
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: model.producerName ?? '',
    graph: {
      ...built,
      initializer: [...(built.initializer ?? []), ...(graph.initializer ?? [])],
      input: graph.input ?? [],
      output: graph.output ?? [],
    },
  }).finish();
  return importOnnx(qdqModel);
};
