/**
 * The 7-bit weight form in a QModel (`bits: 7` on conv2d and dense, issue 17): versioned files (a
 * model holding it is version 2, one without it stays version 1 and still reads), decoding refuses
 * what the form forbids, and the model runs on the kernels to the reference executor's bits in
 * every build (in Node on the baseline path: Node 20's relaxed dot is untrusted).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeQModel, QMODEL_VERSION } from '../../src/runtime/qmodelFile.js';
import { int7ModelBytes, mixedModelBytes, reencodeModel } from './qmodelFixture.js';
import { defineExecutorSuite } from './suites/executorSuite.js';

const versionOf = (bytes: Uint8Array): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);

const setVersion = (bytes: Uint8Array, v: number): Uint8Array => {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(4, v, true);
  return out;
};

const errorOf = (bytes: Uint8Array) => {
  const r = decodeQModel(bytes);
  if (E.isRight(r)) throw new Error('expected the model to be refused');
  return r.left;
};

defineExecutorSuite([
  ['the 7-bit fixture', () => int7ModelBytes(1)],
  ['the 7-bit fixture (seed 2)', () => int7ModelBytes(2)],
]);

describe('the 7-bit weight form in the QModel file', () => {
  it('is written as version 2; a model without it stays version 1 and both decode', () => {
    expect(QMODEL_VERSION).toBe(2);
    const seven = int7ModelBytes(1);
    const eight = mixedModelBytes(1);
    expect(versionOf(seven)).toBe(2);
    expect(versionOf(eight)).toBe(1);
    const r7 = decodeQModel(seven);
    if (E.isLeft(r7)) throw r7.left;
    const bits = r7.right.header.ops.flatMap((o) => ('bits' in o ? [o.bits] : []));
    expect(bits).toEqual([7, 7, 7, 7]);
    expect(E.isRight(decodeQModel(eight))).toBe(true);
  });

  it('refuses 7-bit weights in a version-1 file', () => {
    const e = errorOf(setVersion(int7ModelBytes(1), 1));
    expect(e.tag).toBe('CorruptModel');
    expect(e.message).toMatch(/7-bit weights \(bits 7\), which version 1 files cannot/);
  });

  it('refuses a version it does not know, naming the versions it reads', () => {
    const e = errorOf(setVersion(mixedModelBytes(1), 3));
    expect(e.tag).toBe('CorruptModel');
    expect(e.message).toMatch(/version 3 is not supported \(this runtime reads versions 1 to 2\)/);
  });

  it('refuses a bits-7 section holding a code outside [-64, 63]', () => {
    const bad = reencodeModel(int7ModelBytes(1), (header, sections) => {
      const conv = (header['ops'] as { op: string; weights: number }[]).find((o) => o.op === 'conv2d')!;
      (sections[conv.weights] as Int8Array)[5] = 100;
    });
    const e = errorOf(bad);
    expect(e.tag).toBe('CorruptModel');
    expect(e.message).toMatch(/has bits 7 but holds codes outside \[-64, 63\]/);
  });

  it('refuses bits other than 8, 7 and 4', () => {
    const bad = reencodeModel(int7ModelBytes(1), (header) => {
      (header['ops'] as { op: string; bits?: number }[]).find((o) => o.op === 'dense')!.bits = 6;
    });
    expect(errorOf(bad).message).toMatch(/bits must be 8, 7 or 4/);
  });
});
