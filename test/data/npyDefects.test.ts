/** The .npy defects of issue 14, each one a test that failed before the fix. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKapriError } from '../../src/core/errors.js';
import { decodeNpy, encodeNpy } from '../../src/data/npy.js';
import { leftOf, rightOf } from '../support/either.js';
import { npyRows } from '../../src/data/npyStream.js';

/** A v1.0 .npy file with this exact header text (padded and ended as numpy does unless `raw`). */
const npyWith = (header: string, data: Uint8Array, raw = false): Uint8Array => {
  const text = raw ? header : `${header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 11, ' ')}\n`;
  const out = new Uint8Array(10 + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  out.set(data, 10 + text.length);
  return out;
};
const f4 = (...xs: number[]) => new Uint8Array(Float32Array.from(xs).buffer);

describe('.npy as numpy reads it', () => {
  it('takes the last of repeated keys, as a Python dict does', () => {
    // numpy reads this one as Fortran order; the first-wins parser read it in C order (transposed)
    const fortranLast = npyWith(
      "{'descr': '<f4', 'fortran_order': False, 'fortran_order': True, 'shape': (2, 3), }",
      f4(1, 2, 3, 4, 5, 6),
    );
    expect(isKapriError(leftOf(decodeNpy(fortranLast)), 'Unsupported')).toBe(true);
    const shapeLast = rightOf(
      decodeNpy(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (99,), 'shape': (2,), }", f4(1, 2))),
    );
    expect(shapeLast.shape).toEqual([2]);
  });

  it('never takes text inside a string for a field', () => {
    const a = rightOf(
      decodeNpy(
        npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': \"'shape': (99,)\", 'shape': (3,), }", f4(1, 2, 3)),
      ),
    );
    expect(a.shape).toEqual([3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3]);
    const e = leftOf(decodeNpy(npyWith("{'descr': '<f4', 'fortran_order': False, 'x': \"'shape': (1,)\", }", f4(1))));
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
  });

  it('reads escapes, other quotes and number spellings as Python does', () => {
    const a = rightOf(
      decodeNpy(npyWith("{\"descr\": u'<\\x664', 'fortran_' \"order\": False, 'shape': (0x2, +1,), }", f4(1, 2))),
    );
    expect(a).toMatchObject({ dtype: 'f4', shape: [2, 1] });
    expect(
      isKapriError(
        leftOf(decodeNpy(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (True,), }", f4(1)))),
        'CorruptFile',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        leftOf(decodeNpy(npyWith("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", f4(1)))),
        'CorruptFile',
      ),
    ).toBe(true);
  });

  it('refuses a header length that points inside the header', () => {
    const good = encodeNpy(new Float32Array([1, 2]), [2]);
    const cut = good.slice();
    new DataView(cut.buffer).setUint16(8, cut[8]! - 8, true); // the last 8 bytes of padding would be read as 2 floats
    const e = leftOf(decodeNpy(cut, 'cut.npy'));
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
    expect((e as Error).message).toMatch(/cut\.npy: the header does not end with a newline/);
  });

  it('refuses rows that are not an integer in [0, n] with a typed error', () => {
    const b = encodeNpy(new Float32Array(8), [2, 4]);
    for (const rows of [-1, 1.5, 3, NaN])
      expect(isKapriError(leftOf(decodeNpy(b, { rows })), 'InvalidArgument')).toBe(true);
    expect(rightOf(decodeNpy(b, { rows: 1 })).shape).toEqual([1, 4]);
  });

  it('refuses format versions numpy does not know (1.1)', () => {
    const b = encodeNpy(new Float32Array(2), [2]);
    b[7] = 1;
    expect(isKapriError(leftOf(decodeNpy(b)), 'CorruptFile')).toBe(true);
  });

  it('npyRows: a file that shrinks while it is read is an error, not zeros', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kapri-shrink-'));
    const file = join(dir, 'shrink.npy');
    const bytes = encodeNpy(
      Float32Array.from({ length: 40 }, (_, i) => i + 1),
      [10, 4],
    );
    writeFileSync(file, bytes);
    const it = npyRows(file, 4);
    const first = await it.next();
    expect(Array.from(first.value!.data).slice(0, 2)).toEqual([1, 2]);
    truncateSync(file, bytes.length - 4 * 4 * 5);
    const e = await it.next().catch((x: unknown) => x);
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
    expect((e as Error).message).toMatch(/shrink\.npy: the file ended at row/);
  });
});
