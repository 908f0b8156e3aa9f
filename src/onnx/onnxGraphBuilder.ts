/**
 * Builds an ONNX graph node by node: unique value names, typed initializers (little-endian raw
 * data), attributes, and the graph's inputs and outputs with a symbolic batch axis.
 */
import {
  DataType,
  type IAttributeProto,
  type IGraphProto,
  type INodeProto,
  type ITensorProto,
  type IValueInfoProto,
} from './onnxProto.js';

/** An attribute value: an int, a float, a list of ints or a string. */
export type AttributeValue = number | readonly number[] | string | { readonly float: number };

/** Typed data an initializer holds. */
export type InitializerData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

const dataTypeOf = (d: InitializerData): number =>
  d instanceof Float32Array
    ? DataType.FLOAT
    : d instanceof Int8Array
      ? DataType.INT8
      : d instanceof Uint8Array
        ? DataType.UINT8
        : d instanceof Int32Array
          ? DataType.INT32
          : DataType.INT64;

/** Little-endian bytes of typed data (a copy: the views of a platform of another byte order are rewritten). */
const rawBytes = (d: InitializerData): Uint8Array => {
  const out = new Uint8Array(d.byteLength);
  const dv = new DataView(out.buffer);
  if (d instanceof Float32Array) d.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  else if (d instanceof Int32Array) d.forEach((v, i) => dv.setInt32(i * 4, v, true));
  else if (d instanceof BigInt64Array) d.forEach((v, i) => dv.setBigInt64(i * 8, v, true));
  else out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  return out;
};

const attribute = (name: string, v: AttributeValue): IAttributeProto => {
  if (typeof v === 'number') return { name, type: 2, i: v }; // INT
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) }; // STRING
  if (Array.isArray(v)) return { name, type: 7, ints: [...(v as readonly number[])] }; // INTS
  return { name, type: 1, f: (v as { float: number }).float }; // FLOAT
};

/** A graph under construction. */
export interface OnnxGraphBuilder {
  /** A value name not used yet, from a hint. */
  fresh(hint: string): string;
  /** Adds a node; returns its first output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs?: Record<string, AttributeValue>,
  ): string;
  /** Adds an initializer of `dims` under a fresh name from `hint`; returns the name. */
  constant(hint: string, data: InitializerData, dims: readonly number[]): string;
  /** Declares a graph input or output: `elemType` over [batch, ...shape]. */
  io(kind: 'input' | 'output', name: string, elemType: number, shape: readonly number[]): void;
  /** The graph. */
  finish(name: string, docString: string): IGraphProto;
}

/** The symbolic name of the batch axis of every graph input and output. */
export const BATCH_DIM = 'N';

/** A new, empty graph. */
export const createGraphBuilder = (): OnnxGraphBuilder => {
  const used = new Set<string>();
  const nodes: INodeProto[] = [];
  const inits: ITensorProto[] = [];
  const inputs: IValueInfoProto[] = [];
  const outputs: IValueInfoProto[] = [];
  const fresh = (hint: string): string => {
    let name = hint;
    for (let i = 1; used.has(name); i++) name = `${hint}_${i}`;
    used.add(name);
    return name;
  };
  return {
    fresh,
    node(opType, ins, outs, attrs = {}) {
      nodes.push({
        opType,
        input: [...ins],
        output: [...outs],
        name: fresh(`${opType}:${outs[0]}`),
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      });
      return outs[0]!;
    },
    constant(hint, data, dims) {
      const name = fresh(hint);
      inits.push({ name, dataType: dataTypeOf(data), dims: [...dims], rawData: rawBytes(data) });
      return name;
    },
    io(kind, name, elemType, shape) {
      used.add(name);
      const info: IValueInfoProto = {
        name,
        type: {
          tensorType: {
            elemType,
            shape: { dim: [{ dimParam: BATCH_DIM }, ...shape.map((d) => ({ dimValue: d }))] },
          },
        },
      };
      (kind === 'input' ? inputs : outputs).push(info);
    },
    finish: (name, docString) => ({ name, docString, node: nodes, initializer: inits, input: inputs, output: outputs }),
  };
};
