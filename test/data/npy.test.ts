import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy } from '../../src/data/npy.js';
import { leftOf, rightOf } from '../support/either.js';
import { loadManifest } from '../../src/data/manifest.js';
import { isKapriError } from '../../src/core/errors.js';

// Files written by numpy 2.4: np.save of a big-endian int16 array [[-3, 4], [500, -32768]],
// format.write_array of arange(3, float32) at version 3.0, and a Fortran-ordered float32 [2, 3].
const bigEndianI2 = Buffer.from(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPmkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//QAEAfSAAA==',
  'base64',
);
const version3 = Buffer.from(
  'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEA=',
  'base64',
);
const fortran = Buffer.from(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  'base64',
);

// More files written by numpy 2.4 (np.save), for the dtypes people's data arrives in: int64 labels
// (numpy's default integer) [0, 2, 1, -5, 2^53, -2^53], big-endian uint16 [[0, 65535], [1234, 7]],
// float16 [1, -2, 65504, 2^-24, inf, 0.1], bool [True, False, True], uint32 [4294967295, 0], and
// int64 [3, 2^53 + 1] and uint64 [2^63, 1], which a double cannot hold exactly.
const npyOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const HEAD = 'k05VTVBZAQB2AHsnZGVzY3InOiAn';
const numpyI8 = npyOf(
  `${HEAD}PGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDYsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAIAAAAAAAAAAQAAAAAAAAD7/////////wAAAAAAACAAAAAAAAAA4P8=`,
);
const numpyU2be = npyOf(
  `${HEAD}PnUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAP//BNIABw==`,
);
const numpyF2 = npyOf(
  `${HEAD}PGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDYsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPADA/3sBAAB8Zi4=`,
);
const numpyB1 = npyOf(
  `${HEAD}fGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=`,
);
const numpyU4 = npyOf(
  `${HEAD}PHU0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr/////AAAAAA==`,
);
const numpyI8Big = npyOf(
  `${HEAD}PGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAAAAAAAAEAAAAAACAA`,
);
const numpyU8Big = npyOf(
  `${HEAD}PHU4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAgAEAAAAAAAAA`,
);

describe('.npy', () => {
  it('reads big-endian int16 written by numpy', () => {
    const a = rightOf(decodeNpy(new Uint8Array(bigEndianI2), 'be.npy'));
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual([-3, 4, 500, -32768]);
  });

  it('reads format version 3.0', () => {
    expect(Array.from(rightOf(decodeNpy(new Uint8Array(version3))).data)).toEqual([0, 1, 2]);
  });

  it('round-trips what it writes, float32 and int32', () => {
    const f = rightOf(decodeNpy(encodeNpy(new Float32Array([1.5, -2, 3.25, 0, 8, 9]), [2, 3])));
    expect(f).toMatchObject({ dtype: 'f4', shape: [2, 3] });
    expect(Array.from(f.data)).toEqual([1.5, -2, 3.25, 0, 8, 9]);
    expect(Array.from(rightOf(decodeNpy(encodeNpy(Int32Array.from([7, -1]), [2]))).data)).toEqual([7, -1]);
  });

  it('refuses Fortran order with the fix in the message', () => {
    const e = leftOf(decodeNpy(new Uint8Array(fortran), 'f.npy'));
    expect(isKapriError(e, 'Unsupported')).toBe(true);
    expect((e as Error).message).toMatch(/f\.npy.*ascontiguousarray/);
  });

  it('refuses truncated data, naming the file', () => {
    const bytes = encodeNpy(new Float32Array(10), [10]);
    const e = leftOf(decodeNpy(bytes.subarray(0, bytes.length - 1), 'x.npy'));
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
    expect((e as Error).message).toMatch(/x\.npy: truncated data/);
  });

  it("reads int64, numpy's default integer, exactly up to ±2^53", () => {
    const a = rightOf(decodeNpy(numpyI8, 'y.npy'));
    expect(a.dtype).toBe('i8');
    expect(Array.from(a.data)).toEqual([0, 2, 1, -5, 2 ** 53, -(2 ** 53)]);
  });

  it('refuses a 64-bit integer a double cannot hold, naming the file, the index and the value', () => {
    const e = leftOf(decodeNpy(numpyI8Big, 'y.npy'));
    expect(isKapriError(e, 'Unsupported')).toBe(true);
    expect((e as Error).message).toMatch(/y\.npy: value 9007199254740993 at index 1 is beyond ±2\^53/);
    expect((leftOf(decodeNpy(numpyU8Big, 'u.npy')) as Error).message).toMatch(/9223372036854775808 at index 0/);
  });

  it('reads big-endian uint16 (depth sensors) and uint32', () => {
    expect(Array.from(rightOf(decodeNpy(numpyU2be)).data)).toEqual([0, 65535, 1234, 7]);
    expect(Array.from(rightOf(decodeNpy(numpyU4)).data)).toEqual([4294967295, 0]);
  });

  it('reads float16 exactly: normals, the largest, a subnormal, infinity', () => {
    expect(Array.from(rightOf(decodeNpy(numpyF2)).data)).toEqual([1, -2, 65504, 2 ** -24, Infinity, 0.0999755859375]);
  });

  it('reads bool as 0 and 1', () => {
    expect(Array.from(rightOf(decodeNpy(numpyB1)).data)).toEqual([1, 0, 1]);
  });

  it('refuses an unsupported dtype and a bad magic', () => {
    const bytes = encodeNpy(new Float32Array(2), [2]);
    const c = bytes.slice();
    c.set(new TextEncoder().encode("'<c8'"), 20);
    expect(isKapriError(leftOf(decodeNpy(c)), 'Unsupported')).toBe(true);
    expect(isKapriError(leftOf(decodeNpy(new Uint8Array(20))), 'CorruptFile')).toBe(true);
  });
});

describe('manifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kapri-manifest-'));
  const write = (name: string, data: Float32Array | Int32Array, shape: number[]) =>
    writeFileSync(join(dir, name), encodeNpy(data, shape));
  write('w.npy', new Float32Array(4 * 6), [4, 2, 3]);
  write('s.npy', new Float32Array(4 * 2), [4, 2]);
  write('y.npy', Int32Array.from([0, 1, 1, 0]), [4]);
  write('bad.npy', Int32Array.from([0, 1, 2, 0]), [4]);
  const split = { weak: 'w.npy', superior: 's.npy', label: 'y.npy' };
  const tsplit = { weak: 'w.npy', label: 'y.npy' };
  const manifest = (m: unknown) => {
    const f = join(dir, `m${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, JSON.stringify(m));
    return f;
  };

  it('loads every split of a valid manifest', async () => {
    const d = await loadManifest(
      manifest({
        task: 'classification',
        classes: 2,
        source: { train: split, val: split, test: split },
        target: { train: tsplit, val: tsplit, test: tsplit },
      }),
    );
    expect(d.source.train.n).toBe(4);
    expect(d.source.train.weak.shape).toEqual([2, 3]);
    expect(d.target.test.label).toMatchObject({ kind: 'classes', classes: 2 });
  });

  it('loads labels saved by np.save (int64) as classes and a uint16 modality as values', async () => {
    // np.save(np.array([0, 1, 1, 0])) and np.save(np.arange(8, dtype='<u2').reshape(4, 2)), numpy 2.4
    writeFileSync(
      join(dir, 'y64.npy'),
      npyOf(
        `${HEAD}PGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAEAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAA==`,
      ),
    );
    writeFileSync(
      join(dir, 'depth16.npy'),
      npyOf(
        `${HEAD}PHUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAEAAgADAAQABQAGAAcA`,
      ),
    );
    const s64 = { weak: 'w.npy', superior: 'depth16.npy', label: 'y64.npy' };
    const d = await loadManifest(
      manifest({
        task: 'classification',
        classes: 2,
        source: { train: s64, val: s64, test: s64 },
        target: { train: { weak: 'w.npy', label: 'y64.npy' }, val: tsplit, test: tsplit },
      }),
    );
    expect(d.source.train.label).toMatchObject({ kind: 'classes', data: Int32Array.from([0, 1, 1, 0]) });
    expect(Array.from(d.source.train.superior!.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('names a missing file', async () => {
    const m = manifest({
      task: 'classification',
      classes: 2,
      source: { train: { ...split, weak: 'nope.npy' }, val: split, test: split },
      target: { train: tsplit, val: tsplit, test: tsplit },
    });
    await expect(loadManifest(m)).rejects.toThrow(/source\.train\.weak names .*nope\.npy/);
  });

  it('names labels out of range by array and index', async () => {
    const m = manifest({
      task: 'classification',
      classes: 2,
      source: { train: { ...split, label: 'bad.npy' }, val: split, test: split },
      target: { train: tsplit, val: tsplit, test: tsplit },
    });
    await expect(loadManifest(m)).rejects.toThrow(/source\.train: label 2 is class 2/);
  });

  it('refuses modalities of different lengths', async () => {
    write('s3.npy', new Float32Array(3 * 2), [3, 2]);
    const m = manifest({
      task: 'classification',
      classes: 2,
      source: { train: { ...split, superior: 's3.npy' }, val: split, test: split },
      target: { train: tsplit, val: tsplit, test: tsplit },
    });
    await expect(loadManifest(m)).rejects.toThrow(/superior holds 3 samples/);
  });
});

describe('npyRows (out-of-core iteration)', () => {
  it('yields every row in chunks, read from the file at their offsets', async () => {
    const { npyRows } = await import('../../src/data/npyStream.js');
    const dir = mkdtempSync(join(tmpdir(), 'kapri-stream-'));
    const file = join(dir, 'big.npy');
    const data = Float32Array.from({ length: 10 * 3 }, (_, i) => i * 0.5);
    writeFileSync(file, encodeNpy(data, [10, 3]));
    const chunks = [];
    for await (const c of npyRows(file, 4)) chunks.push(c);
    expect(chunks.map((c) => [c.start, c.rows])).toEqual([
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    expect(chunks[0]!.rowShape).toEqual([3]);
    expect(chunks.flatMap((c) => Array.from(c.data))).toEqual(Array.from(data));
  });

  it('refuses a file whose rows are truncated before yielding anything', async () => {
    const { npyRows } = await import('../../src/data/npyStream.js');
    const dir = mkdtempSync(join(tmpdir(), 'kapri-stream-'));
    const file = join(dir, 'cut.npy');
    const bytes = encodeNpy(new Float32Array(12), [4, 3]);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    await expect(
      (async () => {
        for await (const _ of npyRows(file, 2)) void _;
      })(),
    ).rejects.toThrow(/cut\.npy: truncated data/);
  });
});
