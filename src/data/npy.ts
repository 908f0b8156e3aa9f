/**
 * The NumPy `.npy` format, versions 1.0–3.0: magic "\x93NUMPY", version, a header length (u16 in v1,
 * u32 in v2/v3), a Python-dict header {'descr', 'fortran_order', 'shape'} padded to 64 bytes, then the
 * data. Reads little- and big-endian float16/32/64, int8/16/32/64, uint8/16/32/64 and bool in C order
 * (Fortran order is refused where it changes the layout); values become Float32Array (or Int32Array for
 * integer labels when asked). 64-bit integers beyond ±2^53 cannot be held exactly and are refused
 * (numpy's default integer is int64, so labels saved with `np.save` arrive as '<i8').
 * Writes v1.0 little-endian f4/i4.
 */
import type * as E from 'fp-ts/lib/Either.js';
import { catchKapri, kapriError, type KapriError } from '../core/errors.js';
import { parsePyLiteral, PyLiteralError, type PyValue } from './pyLiteral.js';

export type NpyDtype = 'f2' | 'f4' | 'f8' | 'u1' | 'u2' | 'u4' | 'u8' | 'i1' | 'i2' | 'i4' | 'i8' | 'b1';

export interface NpyArray {
  readonly shape: number[];
  readonly dtype: NpyDtype;
  /** Values as numbers (f64 precision kept until the caller converts). */
  readonly data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const SIZES: Record<NpyDtype, number> = {
  f2: 2,
  f4: 4,
  f8: 8,
  u1: 1,
  u2: 2,
  u4: 4,
  u8: 8,
  i1: 1,
  i2: 2,
  i4: 4,
  i8: 8,
  b1: 1,
};
const SUPPORTED = 'float16/32/64, int8/16/32/64, uint8/16/32/64 or bool';
// numpy's np.load refuses a header longer than this (characters, after decoding) unless told otherwise.
const MAX_HEADER_CHARS = 10_000;
// A dimension beyond this cannot describe data kapri can hold; refusing it keeps sizes exact in doubles.
const MAX_DIM = 2 ** 31 - 1;
const HEADER_KEYS = ['descr', 'fortran_order', 'shape'];

const corrupt = (file: string, what: string): never => {
  throw kapriError('CorruptFile', `${file}: ${what}`, { file });
};

/** What a header says, checked as numpy's `read_array` checks it. */
export interface NpyHeader {
  readonly shape: number[];
  readonly dtype: NpyDtype;
  readonly littleEndian: boolean;
  readonly itemSize: number;
  /** Where the data begins. */
  readonly dataStart: number;
}

/**
 * Parses and checks the magic, version and header dict of `.npy` bytes (the data need not be there).
 * The header is read as the Python literal numpy reads (`ast.literal_eval`): a repeated key keeps its
 * last value, and text inside a string is never taken for a field. Beyond numpy's own checks, the
 * header must end with the newline the format requires, so that a header length pointing inside the
 * header is refused instead of reading header bytes as data.
 * Throws the KapriError (for readers of files, which reject); {@link decodeNpyHeader} returns it.
 */
export const readNpyHeader = (bytes: Uint8Array, file = '(bytes)'): NpyHeader => {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) corrupt(file, 'not a .npy file (bad magic)');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0)
    corrupt(file, `.npy format version ${major}.${minor} is not one of 1.0, 2.0, 3.0`);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) corrupt(file, 'truncated header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  // A UTF-8 character is at most 4 bytes: a longer header cannot fit numpy's limit.
  if (hlen > 4 * MAX_HEADER_CHARS)
    corrupt(file, `the header is ${hlen} bytes; numpy reads at most ${MAX_HEADER_CHARS} characters`);
  if (start + hlen > bytes.length)
    corrupt(
      file,
      `truncated header: it declares ${hlen} bytes, the file has ${bytes.length - start} after the length field`,
    );
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(
      bytes.subarray(start, start + hlen),
    );
  } catch {
    return corrupt(file, 'the header is not valid UTF-8');
  }
  const chars = major === 3 ? [...text].length : text.length;
  if (chars > MAX_HEADER_CHARS)
    corrupt(file, `the header is ${chars} characters; numpy reads at most ${MAX_HEADER_CHARS}`);
  if (!text.endsWith('\n'))
    corrupt(file, 'the header does not end with a newline: its length field points inside it (or the file was cut)');
  let d: PyValue;
  try {
    d = parsePyLiteral(text, major < 3);
  } catch (e) {
    if (!(e instanceof PyLiteralError)) throw e;
    return corrupt(
      file,
      `the header is not a Python literal (${e.message}): ${JSON.stringify(text.trim().slice(0, 80))}`,
    );
  }
  if (d.t !== 'dict' || d.nonStrKey || d.v.size !== 3 || !HEADER_KEYS.every((k) => d.v.has(k))) {
    return corrupt(
      file,
      `the header must be a dict with exactly the keys 'descr', 'fortran_order' and 'shape': ${JSON.stringify(text.trim().slice(0, 80))}`,
    );
  }
  const fields = d.v;
  const shapeV = fields.get('shape')!;
  const fortranV = fields.get('fortran_order')!;
  const descrV = fields.get('descr')!;
  if (shapeV.t !== 'tuple') return corrupt(file, "the header's 'shape' must be a tuple of ints");
  const shape = shapeV.v.map((x) => {
    if (x.t !== 'int') return corrupt(file, "the header's 'shape' must be a tuple of ints");
    const n = x.v;
    if (n < 0n || n > BigInt(MAX_DIM))
      corrupt(file, `the shape has the dimension ${n}; dimensions must be in [0, ${MAX_DIM}]`);
    return Number(n);
  });
  if (fortranV.t !== 'bool') return corrupt(file, "the header's 'fortran_order' must be True or False");
  if (descrV.t !== 'str') {
    throw kapriError(
      'Unsupported',
      `${file}: only plain dtypes are supported (not structured or sub-array ones); use ${SUPPORTED}`,
      { file },
    );
  }
  const m = /^([<>|=]?)([fiu][1248]|b1)$/.exec(descrV.v);
  const dtype = m && m[2]! in SIZES ? (m[2] as NpyDtype) : null;
  if (!m || !dtype)
    throw kapriError('Unsupported', `${file}: dtype '${descrV.v}' is not supported; use ${SUPPORTED}`, { file });
  // Fortran order only changes the layout when more than one axis is longer than 1.
  if (fortranV.v && shape.filter((s) => s > 1).length > 1) {
    throw kapriError(
      'Unsupported',
      `${file}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray(a) (C order)`,
      { file },
    );
  }
  // '=' and no prefix mean the machine's order: numpy and every JS engine kapri runs on are little endian.
  return { shape, dtype, littleEndian: m[1] !== '>', itemSize: SIZES[dtype], dataStart: start + hlen };
};

export interface DecodeOptions {
  /** Only parse and validate the header (data length is not checked; `data` is empty). */
  readonly headerOnly?: boolean;
  /** Decode this many leading rows instead of the whole array (the bytes hold just those). */
  readonly rows?: number;
}

/** A decoded array and the byte size of one of its values in the file. */
export type DecodedNpy = NpyArray & { readonly itemSize: number };

/**
 * Decodes `.npy` bytes as numpy reads them: every file numpy refuses is refused (`CorruptFile`), dtypes
 * and layouts kapri does not read are refused as `Unsupported`, and every other file gives numpy's
 * values. Every problem names the file. Returns the array, or the error as a left (the error rule
 * of core/errors.ts: judging outside input returns an Either).
 * `decodeNpy(bytes, options)` is short for `decodeNpy(bytes, '(bytes)', options)`.
 *
 * @example
 * const y = unwrap(decodeNpy(readFileSync('y.npy'), 'y.npy'));   // or match on the Either
 */
export function decodeNpy(bytes: Uint8Array, options?: DecodeOptions): E.Either<KapriError, DecodedNpy>;
export function decodeNpy(bytes: Uint8Array, file?: string, options?: DecodeOptions): E.Either<KapriError, DecodedNpy>;
export function decodeNpy(
  bytes: Uint8Array,
  fileOrOptions: string | DecodeOptions = '(bytes)',
  maybeOptions: DecodeOptions = {},
): E.Either<KapriError, DecodedNpy> {
  const file = typeof fileOrOptions === 'string' ? fileOrOptions : '(bytes)';
  const options = typeof fileOrOptions === 'string' ? maybeOptions : fileOrOptions;
  return catchKapri(() => readNpy(bytes, file, options));
}

/** Parses `.npy` bytes' header and checks it (the data need not be there); the error as a left. */
export const decodeNpyHeader = (bytes: Uint8Array, file = '(bytes)'): E.Either<KapriError, NpyHeader> =>
  catchKapri(() => readNpyHeader(bytes, file));

/** {@link decodeNpy} for readers of files, which reject: throws the same KapriError. */
export const readNpy = (bytes: Uint8Array, file: string, options: DecodeOptions = {}): DecodedNpy => {
  const h = readNpyHeader(bytes, file);
  const { dtype, itemSize: size, littleEndian: little, dataStart } = h;
  if (options.headerOnly) return { shape: h.shape, dtype, data: new Float64Array(0), itemSize: size };
  let shape = h.shape;
  if (options.rows !== undefined) {
    const rows = options.rows;
    if (shape.length < 1)
      throw kapriError('InvalidArgument', `${file}: rows was given, but the array is a scalar (shape ())`, { file });
    if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0 || rows > shape[0]!) {
      throw kapriError(
        'InvalidArgument',
        `${file}: rows must be an integer in [0, ${shape[0]}] (the array's first dimension), got ${String(rows)}`,
        { file },
      );
    }
    shape = [rows, ...shape.slice(1)];
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const have = bytes.length - dataStart;
  if (have < n * size)
    corrupt(file, `truncated data: ${n} values of ${size} bytes need ${n * size} bytes, the file has ${have}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = valueReader(dv, dtype, little, file);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = read(dataStart + i * size, i);
  return { shape, dtype, data, itemSize: size };
};

// Beyond this a 64-bit integer has no exact double; refusing it keeps labels and counts exact.
const MAX_EXACT = 2n ** 53n;

/** IEEE 754 binary16 to a number (exact: every half is a double). */
const halfToNumber = (h: number): number => {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
};

/** How to read one value of `dtype` at a byte offset (the index names a refused value). */
const valueReader = (
  dv: DataView,
  dtype: NpyDtype,
  little: boolean,
  file: string,
): ((offset: number, index: number) => number) => {
  const exact = (v: bigint, index: number): number => {
    if (v > MAX_EXACT || v < -MAX_EXACT)
      throw kapriError(
        'Unsupported',
        `${file}: value ${v} at index ${index} is beyond ±2^53 and has no exact float; kapri reads 64-bit integers only within that range`,
        { file },
      );
    return Number(v);
  };
  switch (dtype) {
    case 'f2':
      return (o) => halfToNumber(dv.getUint16(o, little));
    case 'f4':
      return (o) => dv.getFloat32(o, little);
    case 'f8':
      return (o) => dv.getFloat64(o, little);
    case 'u1':
      return (o) => dv.getUint8(o);
    case 'u2':
      return (o) => dv.getUint16(o, little);
    case 'u4':
      return (o) => dv.getUint32(o, little);
    case 'u8':
      return (o, i) => exact(dv.getBigUint64(o, little), i);
    case 'i1':
      return (o) => dv.getInt8(o);
    case 'i2':
      return (o) => dv.getInt16(o, little);
    case 'i4':
      return (o) => dv.getInt32(o, little);
    case 'i8':
      return (o, i) => exact(dv.getBigInt64(o, little), i);
    case 'b1':
      // numpy's bool is one byte; any nonzero byte reads as True.
      return (o) => (dv.getUint8(o) === 0 ? 0 : 1);
  }
};

/** Encodes a float32 or int32 array as `.npy` v1.0, little endian, C order. */
export const encodeNpy = (data: Float32Array | Int32Array, shape: readonly number[]): Uint8Array => {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length)
    throw kapriError(
      'InvalidShape',
      `encodeNpy: shape (${shape.join(', ')}) holds ${n} values, the data ${data.length}`,
    );
  const descr = data instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - 10 - 1, ' ')}\n`;
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
