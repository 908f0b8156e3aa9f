/**
 * A float reference evaluation of a float ONNX graph (NCHW, ONNX's own semantics) over a batch of
 * samples: every value the graph computes, for calibration to read its range. It knows the ops a
 * calibrated import takes — Conv (grouped, padded, strided), Gemm, MatMul, Relu, Clip, MaxPool,
 * AveragePool, GlobalAveragePool, Add, Reshape, Flatten, Identity — and refuses any other with
 * `Unsupported` naming the node.
 */
import { kapriError } from '../core/errors.js';
import type { TensorData } from '../onnx/onnxTensorData.js';
import { type IGraphProto, type INodeProto, int64, type Int64Like } from '../onnx/onnxProto.js';

/** A float value with its dims (the batch axis first). */
export interface FloatValue {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

const refuse = (where: string, why: string): never => {
  throw kapriError('Unsupported', `${where}: ${why}`, { where });
};

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

const attrOf = (n: INodeProto, name: string) => (n.attribute ?? []).find((a) => a.name === name);
const intAttr = (n: INodeProto, name: string, dflt: number): number => {
  const a = attrOf(n, name);
  return a ? int64(a.i as Int64Like) : dflt;
};
const intsAttr = (n: INodeProto, name: string): number[] | undefined => {
  const a = attrOf(n, name);
  return a ? (a.ints ?? []).map((v) => int64(v as Int64Like)) : undefined;
};
const floatAttr = (n: INodeProto, name: string, dflt: number): number => attrOf(n, name)?.f ?? dflt;

/** The window of a Conv or a pool: kernel, strides, pads [top, left, bottom, right]; dilations must be 1. */
export const onnxWindow = (n: INodeProto, where: string, kernelFrom?: readonly number[]) => {
  const kernel = intsAttr(n, 'kernel_shape') ?? [...(kernelFrom ?? refuse(where, 'needs kernel_shape'))];
  if (kernel.length !== 2) refuse(where, 'only 2-D windows are imported');
  if ((intsAttr(n, 'dilations') ?? [1, 1]).some((d) => d !== 1)) refuse(where, 'dilations must be 1');
  const autoPad = attrOf(n, 'auto_pad')?.s;
  if (autoPad && new TextDecoder().decode(autoPad) !== 'NOTSET')
    refuse(where, 'auto_pad is not imported with calibration; give explicit pads');
  const strides = intsAttr(n, 'strides') ?? [1, 1];
  const pads = intsAttr(n, 'pads') ?? [0, 0, 0, 0];
  return { kernel: [kernel[0]!, kernel[1]!], strides: [strides[0]!, strides[1]!], pads };
};

/** Output side of a window over `len` positions. */
const outLen = (len: number, k: number, s: number, before: number, after: number): number =>
  Math.floor((len + before + after - k) / s) + 1;

/** NCHW conv with groups, as ONNX Conv computes it (float32 sums in double, rounded at the end). */
const conv = (n: INodeProto, where: string, x: FloatValue, w: TensorData, b: TensorData | undefined): FloatValue => {
  if (x.dims.length !== 4) refuse(where, 'needs an [N, C, H, W] input');
  const [nb, c, h, wd] = x.dims as [number, number, number, number];
  const [m, cg, kh, kw] = w.dims as [number, number, number, number];
  const group = intAttr(n, 'group', 1);
  if (cg * group !== c || m % group !== 0)
    refuse(where, `weights [${w.dims.join(', ')}] do not fit ${c} channels in ${group} group(s)`);
  const { strides, pads } = onnxWindow(n, where, [kh, kw]);
  const oh = outLen(h, kh, strides[0]!, pads[0]!, pads[2]!);
  const ow = outLen(wd, kw, strides[1]!, pads[1]!, pads[3]!);
  const out = new Float32Array(nb * m * oh * ow);
  const wv = w.values;
  const mg = m / group;
  for (let bi = 0; bi < nb; bi++)
    for (let o = 0; o < m; o++) {
      const g = Math.floor(o / mg);
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = b ? b.values[o]! : 0;
          for (let ci = 0; ci < cg; ci++)
            for (let u = 0; u < kh; u++) {
              const y = i * strides[0]! - pads[0]! + u;
              if (y < 0 || y >= h) continue;
              for (let v = 0; v < kw; v++) {
                const xx = j * strides[1]! - pads[1]! + v;
                if (xx < 0 || xx >= wd) continue;
                acc += x.data[((bi * c + g * cg + ci) * h + y) * wd + xx]! * wv[((o * cg + ci) * kh + u) * kw + v]!;
              }
            }
          out[((bi * m + o) * oh + i) * ow + j] = acc;
        }
    }
  return { dims: [nb, m, oh, ow], data: out };
};

/** MaxPool or AveragePool (padding never counts in an average: count_include_pad 0). */
const pool = (n: INodeProto, where: string, x: FloatValue, kind: 'max' | 'avg'): FloatValue => {
  if (x.dims.length !== 4) refuse(where, 'needs an [N, C, H, W] input');
  if (intAttr(n, 'ceil_mode', 0) !== 0) refuse(where, 'ceil_mode must be 0');
  if (kind === 'avg' && intAttr(n, 'count_include_pad', 0) !== 0) refuse(where, 'count_include_pad must be 0');
  const [nb, c, h, wd] = x.dims as [number, number, number, number];
  const { kernel, strides, pads } = onnxWindow(n, where);
  const oh = outLen(h, kernel[0]!, strides[0]!, pads[0]!, pads[2]!);
  const ow = outLen(wd, kernel[1]!, strides[1]!, pads[1]!, pads[3]!);
  const out = new Float32Array(nb * c * oh * ow);
  for (let p = 0; p < nb * c; p++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let acc = kind === 'max' ? Number.NEGATIVE_INFINITY : 0;
        let count = 0;
        for (let u = 0; u < kernel[0]!; u++) {
          const y = i * strides[0]! - pads[0]! + u;
          if (y < 0 || y >= h) continue;
          for (let v = 0; v < kernel[1]!; v++) {
            const xx = j * strides[1]! - pads[1]! + v;
            if (xx < 0 || xx >= wd) continue;
            const val = x.data[(p * h + y) * wd + xx]!;
            acc = kind === 'max' ? Math.max(acc, val) : acc + val;
            count++;
          }
        }
        out[(p * oh + i) * ow + j] = kind === 'max' ? acc : acc / count;
      }
  return { dims: [nb, c, oh, ow], data: out };
};

/** [N, K] × [K, U] (B transposed when `transB`), plus a bias of U. */
const matMul = (x: FloatValue, where: string, b: TensorData, transB: boolean, bias?: TensorData): FloatValue => {
  if (x.dims.length !== 2 || b.dims.length !== 2) refuse(where, 'multiplies [N, K] by a 2-D constant only');
  const [nb, k] = x.dims as [number, number];
  const [u, kb] = transB ? [b.dims[0]!, b.dims[1]!] : [b.dims[1]!, b.dims[0]!];
  if (kb !== k) refuse(where, `cannot multiply [N, ${k}] by [${b.dims.join(', ')}]`);
  const out = new Float32Array(nb * u);
  for (let r = 0; r < nb; r++)
    for (let o = 0; o < u; o++) {
      let acc = bias ? bias.values[bias.values.length === 1 ? 0 : o]! : 0;
      for (let i = 0; i < k; i++) acc += x.data[r * k + i]! * b.values[transB ? o * k + i : i * u + o]!;
      out[r * u + o] = acc;
    }
  return { dims: [nb, u], data: out };
};

/** Runs `graph` on `input` (fed to its one graph input) and returns every value it computes. */
export const evalFloatOnnx = (
  graph: IGraphProto,
  constants: ReadonlyMap<string, TensorData>,
  inputName: string,
  input: FloatValue,
): Map<string, FloatValue> => {
  const values = new Map<string, FloatValue>([[inputName, input]]);
  const get = (where: string, name: string | undefined): FloatValue =>
    values.get(name ?? '') ?? refuse(where, `reads '${name}', which is not a float activation computed before it`);
  const konst = (where: string, name: string | undefined): TensorData =>
    constants.get(name ?? '') ?? refuse(where, `needs '${name}' to be a constant (an initializer)`);
  for (const [i, n] of (graph.node ?? []).entries()) {
    const where = `node '${n.name || n.output?.[0] || i}' (${n.opType})`;
    const ins = n.input ?? [];
    const x = () => get(where, ins[0]);
    const optional = (k: number) => (ins[k] ? konst(where, ins[k]) : undefined);
    let y: FloatValue;
    switch (n.opType) {
      case 'Conv':
        y = conv(n, where, x(), konst(where, ins[1]), optional(2));
        break;
      case 'Gemm':
        if (intAttr(n, 'transA', 0) !== 0) refuse(where, 'transA must be 0');
        if (floatAttr(n, 'alpha', 1) !== 1 || floatAttr(n, 'beta', 1) !== 1) refuse(where, 'alpha and beta must be 1');
        y = matMul(x(), where, konst(where, ins[1]), intAttr(n, 'transB', 0) === 1, optional(2));
        break;
      case 'MatMul':
        y = matMul(x(), where, konst(where, ins[1]), false);
        break;
      case 'Relu':
      case 'Clip': {
        const lo = n.opType === 'Relu' ? 0 : (optional(1)?.values[0] ?? floatAttr(n, 'min', Number.NEGATIVE_INFINITY));
        const hi =
          n.opType === 'Relu'
            ? Number.POSITIVE_INFINITY
            : (optional(2)?.values[0] ?? floatAttr(n, 'max', Number.POSITIVE_INFINITY));
        const v = x();
        y = { dims: v.dims, data: v.data.map((t) => Math.min(hi, Math.max(lo, t))) };
        break;
      }
      case 'MaxPool':
        y = pool(n, where, x(), 'max');
        break;
      case 'AveragePool':
        y = pool(n, where, x(), 'avg');
        break;
      case 'GlobalAveragePool': {
        const v = x();
        if (v.dims.length !== 4) refuse(where, 'needs an [N, C, H, W] input');
        const [nb, c, h, wd] = v.dims as [number, number, number, number];
        const data = new Float32Array(nb * c);
        for (let p = 0; p < nb * c; p++) {
          let s = 0;
          for (let q = 0; q < h * wd; q++) s += v.data[p * h * wd + q]!;
          data[p] = s / (h * wd);
        }
        y = { dims: [nb, c, 1, 1], data };
        break;
      }
      case 'Add': {
        const [a, b] = [get(where, ins[0]), get(where, ins[1])];
        if (a.dims.join(',') !== b.dims.join(','))
          refuse(where, `adds [${a.dims.join(', ')}] and [${b.dims.join(', ')}]; only equal shapes are imported`);
        y = { dims: a.dims, data: a.data.map((t, k) => t + b.data[k]!) };
        break;
      }
      case 'Flatten': {
        const v = x();
        if (intAttr(n, 'axis', 1) !== 1) refuse(where, 'Flatten must keep the batch axis (axis 1)');
        y = { dims: [v.dims[0]!, size(v.dims.slice(1))], data: v.data };
        break;
      }
      case 'Reshape': {
        const v = x();
        const shape = Array.from(konst(where, ins[1]).values, Number);
        const dims = shape.map((d, k) => (d === 0 ? v.dims[k]! : d));
        const known = size(dims.filter((d) => d !== -1));
        const filled = dims.map((d) => (d === -1 ? v.data.length / known : d));
        if (size(filled) !== v.data.length)
          refuse(where, `[${shape.join(', ')}] does not hold ${v.data.length} values`);
        y = { dims: filled, data: v.data };
        break;
      }
      case 'Identity':
        y = x();
        break;
      default:
        return refuse(
          where,
          'is not an op a calibrated import takes (Conv, Gemm, MatMul, Relu, Clip, MaxPool, AveragePool, GlobalAveragePool, Add, Reshape, Flatten, Identity)',
        );
    }
    values.set(n.output?.[0] ?? refuse(where, 'has no output'), y);
  }
  return values;
};
