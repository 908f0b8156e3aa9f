/**
 * The values of an ONNX initializer (TensorProto) as a typed array: raw little-endian bytes or the
 * typed repeated fields, for the element types kapri imports (float, int8, uint8, int32, int64).
 * External data and other element types are refused, naming the tensor.
 */
import { kapriError } from '../core/errors.js';
import { DataType, int64, type Int64Like, type ITensorProto } from './onnxProto.js';

/** An initializer's element type, dims and values (int64 as numbers). */
export interface TensorData {
  readonly name: string;
  readonly elemType: number;
  readonly dims: readonly number[];
  readonly values: Float32Array | Int8Array | Uint8Array | Int32Array | Float64Array;
}

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Decodes an initializer; throws `Unsupported` for external data or an element type kapri does not read. */
export const tensorData = (t: ITensorProto): TensorData => {
  const name = t.name ?? '';
  const dims = (t.dims ?? []).map((d) => int64(d as Int64Like));
  const n = count(dims);
  const elemType = t.dataType ?? 0;
  if (t.dataLocation === 1 || (t.externalData ?? []).length > 0)
    throw kapriError(
      'Unsupported',
      `initializer '${name}' keeps its data in an external file; kapri imports self-contained ONNX files`,
      { name },
    );
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  const dv = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  const need = (bytes: number) => {
    if (raw && raw.length !== n * bytes)
      throw kapriError(
        'CorruptFile',
        `initializer '${name}' holds ${raw.length} bytes for ${n} values of ${bytes} bytes`,
        { name },
      );
  };
  const fromFields = (field: readonly unknown[] | null | undefined) => {
    const f = field ?? [];
    if (f.length !== n)
      throw kapriError('CorruptFile', `initializer '${name}' holds ${f.length} values for dims [${dims.join(', ')}]`, {
        name,
      });
    return f;
  };
  switch (elemType) {
    case DataType.FLOAT: {
      need(4);
      const values = dv
        ? Float32Array.from({ length: n }, (_, i) => dv.getFloat32(i * 4, true))
        : Float32Array.from(fromFields(t.floatData) as number[]);
      return { name, elemType, dims, values };
    }
    case DataType.INT8:
    case DataType.UINT8: {
      need(1);
      const Arr = elemType === DataType.INT8 ? Int8Array : Uint8Array;
      const values = raw
        ? Arr.from(new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength))
        : Arr.from(fromFields(t.int32Data) as number[]);
      return { name, elemType, dims, values };
    }
    case DataType.INT32: {
      need(4);
      const values = dv
        ? Int32Array.from({ length: n }, (_, i) => dv.getInt32(i * 4, true))
        : Int32Array.from(fromFields(t.int32Data) as number[]);
      return { name, elemType, dims, values };
    }
    case DataType.INT64: {
      need(8);
      const values = dv
        ? Float64Array.from({ length: n }, (_, i) => Number(dv.getBigInt64(i * 8, true)))
        : Float64Array.from(fromFields(t.int64Data) as Int64Like[], (v) => int64(v));
      return { name, elemType, dims, values };
    }
    default:
      throw kapriError(
        'Unsupported',
        `initializer '${name}' has ONNX element type ${elemType}; kapri imports float, int8, uint8, int32 and int64 initializers`,
        { name },
      );
  }
};
