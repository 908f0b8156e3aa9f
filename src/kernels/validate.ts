/** Boundary checks shared by the kernel wrappers: nothing unchecked reaches wasm. */
import { kapriError } from '../core/errors.js';
import type { Arena, Region } from './arena.js';

const F32_MIN_NORMAL = 2 ** -126;
const F32_MAX = 3.4028234663852886e38;

/**
 * A quantization scale or requantization multiplier: the kernels take it as float32, so its float32
 * value must be finite, > 0 and normal (an overflowing one makes codes Inf or NaN, a subnormal or
 * zero one collapses them and loses the agreement with the reference).
 */
export const checkScale = (name: string, scale: number): void => {
  const f = typeof scale === 'number' ? Math.fround(scale) : NaN;
  if (!(f >= F32_MIN_NORMAL && f <= F32_MAX)) {
    throw kapriError(
      'InvalidArgument',
      `${name} must be a positive normal float32 (in [1.18e-38, 3.40e38]), got ${String(scale)}`,
      { name, value: scale },
    );
  }
};

/** The largest |code − zp| over int8 codes: how far an input can sit from its zero point. */
export const maxCodeOffset = (zeroPoint: number): number => Math.max(128 + zeroPoint, 127 - zeroPoint);

/** A spec or quantization argument must be an object before its fields are read. */
export const checkObject = (name: string, x: unknown): void => {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw kapriError(
      'InvalidArgument',
      `${name} must be an object, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`,
      { name },
    );
  }
};

/** An int8 activation zero point must be an integer in [−128, 127]. */
export const checkZeroPoint = (name: string, zp: number): void => {
  if (!Number.isInteger(zp) || zp < -128 || zp > 127) {
    throw kapriError('InvalidArgument', `${name} must be an integer in [-128, 127], got ${String(zp)}`, {
      name,
      value: zp,
    });
  }
};

/** A non-negative integer element count. */
export const checkCount = (name: string, n: number): void => {
  if (!Number.isInteger(n) || n < 0)
    throw kapriError('InvalidArgument', `${name} must be a non-negative integer, got ${String(n)}`, { name, value: n });
};

/** Equal lengths of two buffers. */
export const checkSameLength = (a: string, la: number, b: string, lb: number): void => {
  if (la !== lb)
    throw kapriError('InvalidShape', `${a} has ${la} elements but ${b} has ${lb}; they must match`, {
      [a]: la,
      [b]: lb,
    });
};

/** A buffer of `bytes` at `region.ptr` must lie inside one live arena region. */
export const checkInArena = (arena: Arena, name: string, region: Region, bytes: number): void => {
  if (bytes > region.bytes || !arena.contains(region.ptr, bytes)) {
    throw kapriError(
      'InvalidArgument',
      `${name}: ${bytes} bytes at offset ${region.ptr} do not lie inside a live arena region`,
      {
        name,
        ptr: region.ptr,
        bytes,
      },
    );
  }
};

/** A typed array of the expected constructor. */
export const checkDtype = (
  name: string,
  x: unknown,
  ctor: { new (n: number): ArrayBufferView; name: string },
): void => {
  if (!(x instanceof ctor)) {
    const got = x === null || x === undefined ? String(x) : ((x as object).constructor?.name ?? typeof x);
    throw kapriError('InvalidShape', `${name} must be a ${ctor.name}, got ${got}`, { name });
  }
};

/** A positive integer (a dimension, a stride, a kernel size). */
export const checkPositive = (name: string, n: number): void => {
  if (!Number.isInteger(n) || n < 1)
    throw kapriError('InvalidArgument', `${name} must be a positive integer, got ${String(n)}`, { name, value: n });
};

/** A tuple of positive integers of the expected length. */
export const checkPositiveTuple = (name: string, xs: readonly number[], length: number): void => {
  if (!Array.isArray(xs) || xs.length !== length) {
    throw kapriError('InvalidShape', `${name} must be ${length} positive integers, got ${JSON.stringify(xs)}`, {
      name,
    });
  }
  // the element's name is built only for the error: a template per element on every call cost
  // kernel wrappers microseconds per call (stop 33)
  for (let i = 0; i < length; i++) if (!Number.isInteger(xs[i]) || xs[i]! < 1) checkPositive(`${name}[${i}]`, xs[i]!);
};

/** A buffer length equal to what a shape needs (`what` names the shape, e.g. `m×k = 3×4`). */
export const checkLength = (name: string, length: number, expected: number, what?: string): void => {
  if (length !== expected) {
    throw kapriError(
      'InvalidShape',
      `${name} must have ${expected} elements${what ? ` (${what})` : ''}, got ${length}`,
      { name, length, expected },
    );
  }
};

/** A typed array of the expected constructor and length. */
export const checkArray = (
  name: string,
  x: unknown,
  ctor: { new (n: number): ArrayBufferView; name: string },
  length: number,
): void => {
  checkDtype(name, x, ctor);
  checkLength(name, (x as unknown as { length: number }).length, length);
};

/** Output clamps `[lo, hi]` of int8 codes with lo ≤ hi. */
export const checkClamp = (name: string, c: readonly number[]): void => {
  if (!Array.isArray(c) || c.length !== 2)
    throw kapriError('InvalidArgument', `${name} must be [lo, hi], got ${JSON.stringify(c)}`, { name });
  checkZeroPoint(`${name}[0]`, c[0]!);
  checkZeroPoint(`${name}[1]`, c[1]!);
  if (c[0]! > c[1]!) throw kapriError('InvalidArgument', `${name} must have lo ≤ hi, got [${c[0]}, ${c[1]}]`, { name });
};
