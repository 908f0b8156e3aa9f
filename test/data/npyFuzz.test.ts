/**
 * .npy fuzz: 10,000 seeded cases (test/data/npyFuzzCases.ts), each decoded by kapri and compared with
 * numpy's verdict recorded at dev time (test/fixtures/npyNumpyOracle.txt.gz). Every case must be a
 * typed refusal or a read with numpy's shape and values; kapri may refuse what numpy reads only for a
 * layout it does not support (`Unsupported`) or a header that does not end with its newline.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { crc32 } from '../../src/core/crc32.js';
import { isKapriError } from '../../src/core/errors.js';
import * as E from 'fp-ts/lib/Either.js';
import { decodeNpy, type DecodedNpy } from '../../src/data/npy.js';
import { npyFuzzCase } from './npyFuzzCases.js';

const SEED = 14;
const oracle = gunzipSync(readFileSync(new URL('../fixtures/npyNumpyOracle.txt.gz', import.meta.url)))
  .toString('utf8')
  .trim()
  .split('\n');

const valuesCrc = (data: Float64Array): number => {
  const v = Float64Array.from(data, (x) => (Number.isNaN(x) ? NaN : x));
  const bytes = new Uint8Array(v.buffer);
  // numpy's canonical NaN is 0x7ff8000000000000, as JS's: nothing else to do on little-endian hosts
  return crc32(bytes);
};

describe('.npy fuzz against numpy', () => {
  it("classifies 10,000 cases as a typed refusal or numpy's values, and nothing else", () => {
    const [head, ...verdicts] = oracle;
    const [wantCrc, count] = head!.split(' ');
    const counts: Record<string, number> = {
      'both refuse': 0,
      'same values': 0,
      'kapri stricter (unsupported)': 0,
      'kapri stricter (unterminated header)': 0,
      'untyped error': 0,
      'reads what numpy refuses': 0,
      'different values': 0,
      'other refusal of a numpy read': 0,
    };
    const odd: string[] = [];
    let whole = 0;
    for (let i = 0; i < Number(count); i++) {
      const bytes = npyFuzzCase(SEED, i);
      whole = crc32(bytes, whole);
      const want = verdicts[i]!;
      let got: DecodedNpy | null = null;
      let err: unknown = null;
      try {
        const r = decodeNpy(bytes, `case${i}.npy`);
        if (E.isLeft(r)) err = r.left;
        else got = r.right;
      } catch (e) {
        // A decoder returns its refusal; a throw of any kind breaks the error rule, counted as untyped.
        err = new Error(`threw: ${String(e)}`);
      }
      let cls: string;
      if (err !== null) {
        if (!isKapriError(err)) cls = 'untyped error';
        else if (want === 'R') cls = 'both refuse';
        else if (err.tag === 'Unsupported') cls = 'kapri stricter (unsupported)';
        else if (/does not end with a newline/.test(err.message)) cls = 'kapri stricter (unterminated header)';
        else cls = 'other refusal of a numpy read';
      } else if (want === 'R') cls = 'reads what numpy refuses';
      else {
        const [, shape, crc] = want.split(' ');
        const same = got!.shape.join(',') === shape && valuesCrc(got!.data).toString(16).padStart(8, '0') === crc;
        cls = same ? 'same values' : 'different values';
      }
      counts[cls]!++;
      if (
        ![
          'both refuse',
          'same values',
          'kapri stricter (unsupported)',
          'kapri stricter (unterminated header)',
        ].includes(cls) &&
        odd.length < 10
      ) {
        odd.push(
          `${i} ${cls} ${want} ${err instanceof Error ? err.message : JSON.stringify(got?.shape)} ${JSON.stringify(new TextDecoder('latin1').decode(bytes.subarray(0, 140)))}`,
        );
      }
    }
    expect(
      whole.toString(16).padStart(8, '0'),
      'the cases changed: regenerate the oracle (test/data/npyOracle.py)',
    ).toBe(wantCrc);
    console.log('npy fuzz:', JSON.stringify(counts));
    expect(odd).toEqual([]);
    expect(
      counts['both refuse']! +
        counts['same values']! +
        counts['kapri stricter (unsupported)']! +
        counts['kapri stricter (unterminated header)']!,
    ).toBe(10_000);
  });
});
