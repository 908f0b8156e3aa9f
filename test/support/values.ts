/** Test data and exact comparisons shared by the kernel, runtime and golden tests. */
import { expect } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { isKapriError, type KapriErrorTag } from '../../src/core/errors.js';
import { thrown } from './thrown.js';

/** n seeded normal values times `spread`. */
export const randomF32 = (n: number, seed: number, spread = 1): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * spread);
};

/** n seeded int8 values over the whole range [−128, 127]. */
export const randomI8 = (n: number, seed: number): Int8Array => {
  const rng = createRng(seed);
  return Int8Array.from({ length: n }, () => rng.int(256) - 128);
};

/** Bit patterns of float32 values (from an array or a list of numbers), so that −0/+0, NaNs and every rounding compare exactly. */
export const bits = (x: Float32Array | readonly number[]): number[] => {
  const f = x instanceof Float32Array ? x : Float32Array.from(x);
  return Array.from(new Uint32Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength)));
};

/** Expects `f` to throw a KapriError with `tag`. */
export const expectTag = (f: () => unknown, tag: KapriErrorTag): void => {
  const e = thrown(f);
  expect(isKapriError(e), String(e)).toBe(true);
  expect((e as { tag: string }).tag).toBe(tag);
};
