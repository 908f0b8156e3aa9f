import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { subsetSource, type PairedSource } from '../../src/data/dataset.js';
import { validateSource, validateTarget } from '../../src/data/validate.js';
import { batchStream, labelledSubset, splitIndices } from '../../src/data/splits.js';
import { encodePng } from '../../src/data/png.js';
import { createRng } from '../../src/core/rng.js';
import { crc32 } from '../../src/core/crc32.js';
import { inflateSync } from 'node:zlib';

const src = (n: number): PairedSource => ({
  n,
  weak: { data: Float32Array.from({ length: n * 2 }, (_, i) => i), shape: [2] },
  superior: { data: Float32Array.from({ length: n * 3 }, (_, i) => -i), shape: [3] },
  label: { kind: 'classes', data: Int32Array.from({ length: n }, (_, i) => i % 2), classes: 2 },
});
const msg = (r: E.Either<Error, unknown>): string => (E.isLeft(r) ? r.left.message : 'valid');

describe('validation', () => {
  it('accepts a consistent source', () => {
    expect(E.isRight(validateSource(src(4)))).toBe(true);
  });

  it('names modalities of different lengths', () => {
    const d = { ...src(4), superior: { data: new Float32Array(9), shape: [3] } };
    expect(msg(validateSource(d))).toMatch(/superior holds 3 samples .* expected 4/);
  });

  it('names the sample of a NaN', () => {
    const d = src(4);
    d.weak.data[5] = Number.NaN;
    expect(msg(validateSource(d))).toMatch(/weak has NaN at sample 2 \(element 1\)/);
  });

  it('names a label out of range', () => {
    const d = { ...src(3), label: { kind: 'classes' as const, data: Int32Array.from([0, 1, 2]), classes: 2 } };
    expect(msg(validateSource(d))).toMatch(/label 2 is class 2, outside \[0, 1\]/);
  });

  it('refuses an empty dataset and a target without labels where labels are needed', () => {
    expect(msg(validateSource({ ...src(0) }))).toMatch(/empty/);
    expect(msg(validateTarget({ n: 1, weak: { data: new Float32Array(2), shape: [2] } }, 'target', true))).toMatch(
      /labels are needed/,
    );
  });
});

describe('splits and batches', () => {
  it('splits disjointly and reproducibly by seed', () => {
    const [a, b] = splitIndices(10, [6, 3], createRng(1));
    const [a2] = splitIndices(10, [6, 3], createRng(1));
    expect(new Set([...a!, ...b!]).size).toBe(9);
    expect(Array.from(a!)).toEqual(Array.from(a2!));
  });

  it('takes the rows of a subset', () => {
    const s = subsetSource(src(5), [4, 1]);
    expect(Array.from(s.weak.data)).toEqual([8, 9, 2, 3]);
    expect(Array.from((s.label as { data: Int32Array }).data)).toEqual([0, 1]);
  });

  it('refuses a labelled set larger than the target', () => {
    expect(() => labelledSubset(100, 200, createRng(1))).toThrow(/200 .* only 100/);
  });

  it('streams batches that cover every sample once per epoch', () => {
    const next = batchStream(10, 5, createRng(3));
    expect(new Set([...next(0), ...next(1)]).size).toBe(10);
    expect(Array.from(batchStream(10, 5, createRng(3))(2))).toEqual(Array.from(next(2)));
  });
});

describe('encodePng', () => {
  it('writes a valid PNG whose pixels inflate back to the input', () => {
    const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const png = encodePng(5, 3, rgb);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR checksum
    const dv = new DataView(png.buffer);
    expect(dv.getUint32(29)).toBe(crc32(png.subarray(12, 29)));
    const idatLen = dv.getUint32(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    const rows = Array.from({ length: 3 }, (_, y) => Array.from(raw.subarray(y * 16 + 1, y * 16 + 16)));
    expect(rows.flat()).toEqual(Array.from(rgb));
  });
});
