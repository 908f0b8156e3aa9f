/**
 * The NumPy `.npy` format, versions 1.0–3.0: magic "\x93NUMPY", version, a header length (u16 in v1,
 * u32 in v2/v3), a Python-dict header {'descr', 'fortran_order', 'shape'} padded to 64 bytes, then the
 * data. Reads little- and big-endian f4/f8/u1/i1/i2/i4 in C order (Fortran order is refused); values
 * become Float32Array (or Int32Array for integer labels when asked). Writes v1.0 little-endian f4/i4.
 */
import { kapriError } from '../core/errors.js';

export type NpyDtype = 'f4' | 'f8' | 'u1' | 'i1' | 'i2' | 'i4';

export interface NpyArray {
  readonly shape: number[];
  readonly dtype: NpyDtype;
  /** Values as numbers (f64 precision kept until the caller converts). */
  readonly data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const SIZES: Record<NpyDtype, number> = { f4: 4, f8: 8, u1: 1, i1: 1, i2: 2, i4: 4 };

const corrupt = (file: string, what: string): never => {
  throw kapriError('CorruptFile', `${file}: ${what}`, { file });
};

/** Parses the header dict (the subset numpy writes). */
const parseHeader = (text: string, file: string): { descr: string; fortran: boolean; shape: number[] } => {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) corrupt(file, `the header is not a numpy header: ${text.trim().slice(0, 80)}`);
  const shape = shapeText!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) corrupt(file, `the shape has an invalid dimension '${s}'`);
      return n;
    });
  return { descr: descr!, fortran: fortran === 'True', shape };
};

export interface DecodeOptions {
  /** Only parse and validate the header (data length is not checked; `data` is empty). */
  readonly headerOnly?: boolean;
  /** Decode this many leading rows instead of the whole array (the bytes hold just those). */
  readonly rows?: number;
}

/** Decodes `.npy` bytes; every problem names the file. */
export const decodeNpy = (bytes: Uint8Array, file = '(bytes)', options: DecodeOptions = {}): NpyArray & { readonly itemSize: number } => {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) corrupt(file, 'not a .npy file (bad magic)');
  const major = bytes[6]!;
  if (major < 1 || major > 3) corrupt(file, `.npy format version ${major}.${bytes[7]} is not supported (1.0–3.0 are)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : bytes.length >= 12 ? dv.getUint32(8, true) : corrupt(file, 'truncated header');
  const start = major === 1 ? 10 : 12;
  if (start + hlen > bytes.length) corrupt(file, 'truncated header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + hlen));
  const h = parseHeader(text, file);
  if (h.fortran) throw kapriError('Unsupported', `${file}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray(a) (C order)`, { file });
  const m = /^([<>|=])([fiu])(\d)$/.exec(h.descr);
  const dtype = m ? (`${m[2]}${m[3]}` as NpyDtype) : null;
  if (!m || !dtype || !(dtype in SIZES)) {
    throw kapriError('Unsupported', `${file}: dtype '${h.descr}' is not supported; use float32, float64, uint8, int8, int16 or int32`, { file });
  }
  const little = m[1] !== '>';
  const size = SIZES[dtype];
  if (options.headerOnly) return { shape: h.shape, dtype, data: new Float64Array(0), itemSize: size };
  const rowsShape = options.rows !== undefined ? [options.rows, ...h.shape.slice(1)] : h.shape;
  const n = rowsShape.reduce((a, b) => a * b, 1);
  const dataStart = start + hlen;
  if (bytes.length - dataStart < n * size) corrupt(file, `truncated data: ${n} values of ${size} bytes need ${n * size} bytes, the file has ${bytes.length - dataStart}`);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = dataStart + i * size;
    data[i] =
      dtype === 'f4' ? dv.getFloat32(o, little) : dtype === 'f8' ? dv.getFloat64(o, little) : dtype === 'u1' ? dv.getUint8(o) : dtype === 'i1' ? dv.getInt8(o) : dtype === 'i2' ? dv.getInt16(o, little) : dv.getInt32(o, little);
  }
  return { shape: rowsShape, dtype, data, itemSize: size };
};

/** Encodes a float32 or int32 array as `.npy` v1.0, little endian, C order. */
export const encodeNpy = (data: Float32Array | Int32Array, shape: readonly number[]): Uint8Array => {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw kapriError('InvalidShape', `encodeNpy: shape (${shape.join(', ')}) holds ${n} values, the data ${data.length}`);
  const descr = data instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) dv.setFloat32(total + i * 4, data[i]!, true);
    else dv.setInt32(total + i * 4, data[i]!, true);
  }
  return out;
};
