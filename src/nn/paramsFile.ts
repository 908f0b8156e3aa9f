/**
 * Saving and loading parameters exactly: a binary with a JSON index.
 *   bytes 0–3  "KPRM"   4–7  version (u32 LE, 1)   8–11  index length N (u32 LE)
 *   12…12+N    JSON index {model, entries: [{path, shape, offset, length}]}
 *   then zero padding to a multiple of 4, then the float32 data (little endian) the offsets point into.
 * Loading checks that every path and shape match the target tree: values are copied bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as E from 'fp-ts/lib/Either.js';
import { catchKapri, kapriError, type KapriError } from '../core/errors.js';
import { flattenParams, type ParamTree } from './paramTree.js';

const MAGIC = [0x4b, 0x50, 0x52, 0x4d];
const VERSION = 1;

interface IndexEntry {
  path: string;
  shape: number[];
  offset: number;
  length: number;
}
interface ParamsIndex {
  model: string;
  entries: IndexEntry[];
}

/** Serialises every variable of the tree (values read synchronously). */
export const encodeParams = (tree: ParamTree, model: string): Uint8Array => {
  const flat = flattenParams(tree);
  let offset = 0;
  const entries: IndexEntry[] = flat.map(([path, v]) => {
    const e = { path, shape: v.shape.slice(), offset, length: v.size };
    offset += v.size;
    return e;
  });
  const json = new TextEncoder().encode(JSON.stringify({ model, entries } satisfies ParamsIndex));
  const dataStart = Math.ceil((12 + json.length) / 4) * 4;
  const out = new Uint8Array(dataStart + offset * 4);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  for (const [i, [, v]] of flat.entries()) {
    const data = v.dataSync() as Float32Array;
    const base = dataStart + entries[i]!.offset * 4;
    for (let j = 0; j < data.length; j++) dv.setFloat32(base + j * 4, data[j]!, true);
  }
  return out;
};

const corrupt = (what: string, source: string): never => {
  throw kapriError('CorruptFile', `parameter file ${source}: ${what}`, { file: source });
};

/**
 * Reads a parameter file into the variables of `tree` (same paths and shapes required). The file is
 * judged whole before any variable changes: a bad file returns its error as a left and changes nothing.
 *
 * @example
 * const r = decodeParamsInto(readFileSync('student.params'), student.params, { model: 'student' });
 * if (E.isLeft(r)) console.error(r.left.message);
 */
export const decodeParamsInto = (
  bytes: Uint8Array,
  tree: ParamTree,
  options: { model?: string; source?: string } = {},
): E.Either<KapriError, void> => catchKapri(() => readParamsInto(bytes, tree, options));

const readParamsInto = (bytes: Uint8Array, tree: ParamTree, options: { model?: string; source?: string }): void => {
  const src = options.source ?? '(bytes)';
  if (bytes.length < 12 || MAGIC.some((m, i) => bytes[i] !== m)) corrupt('not a kapri parameter file (bad magic)', src);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== VERSION) corrupt(`version ${version} is not supported (expected ${VERSION})`, src);
  const n = dv.getUint32(8, true);
  if (12 + n > bytes.length) corrupt('truncated index', src);
  let index: ParamsIndex;
  try {
    index = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n))) as ParamsIndex;
  } catch {
    throw corrupt('the JSON index does not parse', src);
  }
  if (!index || !Array.isArray(index.entries)) corrupt('the index has no entries', src);
  if (options.model !== undefined && index.model !== options.model) {
    throw kapriError('InvalidShape', `parameter file ${src} is for model '${index.model}', not '${options.model}'`, {
      file: src,
    });
  }
  const dataStart = Math.ceil((12 + n) / 4) * 4;
  const flat = flattenParams(tree);
  const byPath = new Map(index.entries.map((e) => [e.path, e]));
  if (byPath.size !== flat.length || flat.some(([p]) => !byPath.has(p))) {
    const missing = flat.filter(([p]) => !byPath.has(p)).map(([p]) => p);
    throw kapriError(
      'InvalidShape',
      `parameter file ${src} does not fit this architecture (missing: ${missing.slice(0, 5).join(', ') || 'none'}; file has ${byPath.size} tensors, model ${flat.length})`,
      { file: src },
    );
  }
  const values: [tf.Variable, Float32Array][] = [];
  for (const [path, v] of flat) {
    const e = byPath.get(path)!;
    if (e.shape.length !== v.shape.length || e.shape.some((d, i) => d !== v.shape[i])) {
      throw kapriError(
        'InvalidShape',
        `parameter file ${src}: '${path}' has shape [${e.shape.join(', ')}], the model needs [${v.shape.join(', ')}]`,
        { file: src, path },
      );
    }
    const end = dataStart + (e.offset + e.length) * 4;
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.length !== v.size || end > bytes.length)
      corrupt(`'${path}' points outside the file (truncated?)`, src);
    const data = new Float32Array(e.length);
    for (let j = 0; j < e.length; j++) data[j] = dv.getFloat32(dataStart + (e.offset + j) * 4, true);
    values.push([v, data]);
  }
  // Assign only after everything validated: a bad file changes nothing.
  for (const [v, data] of values) tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
};
