/**
 * The checks a QModel header is decoded with, shared by the file decoder (qmodelFile.ts) and the op
 * definitions (ops/). A failed check throws {@link Corrupt}; decoding turns it into `CorruptModel`
 * naming the file, so an op's decoder reports exactly as the file's own checks do.
 */
import { shapesEqual } from '../core/shape.js';
import type { QActivation, QTensor, SectionDtype, SectionInfo } from './qmodelTypes.js';

/** A header that fails a check; only decoding catches it. */
export class Corrupt extends Error {}

/** Refuses the header with `msg`. */
export const bad = (msg: string): never => {
  throw new Corrupt(msg);
};

export const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export const isInt = (x: unknown, lo = 0, hi = Number.MAX_SAFE_INTEGER): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;

export const isStr = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length < 256;

/** Two integers in [1, 4096] (a kernel, window or stride). */
export const pair = (x: unknown, what: string): [number, number] => {
  if (!Array.isArray(x) || x.length !== 2 || !isInt(x[0], 1, 4096) || !isInt(x[1], 1, 4096))
    bad(`${what} must be two integers in [1, 4096]`);
  return x as [number, number];
};

/** A fused activation. */
export const activation = (x: unknown, where: string): QActivation => {
  if (x !== 'none' && x !== 'relu' && x !== 'relu6') bad(`${where}: activation must be none, relu or relu6`);
  return x as QActivation;
};

/** Padding of a window op. */
export const padding = (x: unknown, where: string): 'same' | 'valid' => {
  if (x !== 'same' && x !== 'valid') bad(`${where}: padding must be same or valid`);
  return x as 'same' | 'valid';
};

/** A section index whose section holds exactly `length` values of `dtype`. */
export const sectionOf = (
  sections: readonly SectionInfo[],
  idx: unknown,
  dtype: SectionDtype,
  length: number,
  what: string,
): number => {
  if (!isInt(idx, 0, sections.length - 1)) bad(`${what}: section index ${String(idx)} does not exist`);
  const s = sections[idx as number]!;
  if (s.dtype !== dtype || s.length !== length)
    bad(`${what}: expected ${length} ${dtype} values, the section holds ${s.length} ${s.dtype}`);
  return idx as number;
};

/** Refuses a tensor that is not int8; `role` says which of the op's tensors it is. */
export const int8 = (where: string, t: QTensor, role: string): void => {
  if (t.dtype !== 'i8') bad(`${where}: ${role} '${t.name}' must be int8`);
};

/** Refuses a quantize or dequantize that does not map a `from` tensor to a `to` tensor of the same shape. */
export const checkConversion = (
  where: string,
  opName: string,
  x: QTensor,
  y: QTensor,
  from: string,
  to: string,
): void => {
  if (x.dtype !== from || y.dtype !== to || !shapesEqual(x.shape, y.shape))
    bad(`${where}: ${opName} maps ${from} to ${to} of the same shape`);
};

/** Refuses an op that does not read exactly `n` tensors. */
export const arity = (where: string, opName: unknown, got: number, n: number): void => {
  if (got !== n) bad(`${where} (${String(opName)}) takes ${n} input(s), got ${got}`);
};
