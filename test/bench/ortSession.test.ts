/**
 * The peer check every onnxruntime row passes before it is timed: bit identity with kapri's outputs
 * (−0 is not 0, a NaN compares by its payload), and a file a browser bench can import as it is.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitMismatch, type OrtApi, openCheckedSession } from '../../bench/ortSession.js';

describe('bitMismatch', () => {
  it('accepts identical bits and names the first difference otherwise', () => {
    expect(bitMismatch('y', Float32Array.of(1, Number.NaN, -0), Float32Array.of(1, Number.NaN, -0))).toBeNull();
    expect(bitMismatch('y', Int8Array.of(1, -128), Int8Array.of(1, -128))).toBeNull();
    expect(bitMismatch('y', Float32Array.of(1, 0, 3), Float32Array.of(1, -0, 4))).toMatch(
      /output 'y': 2 of 3 values differ from kapri's bits \(first at 1/,
    );
    const quietNaN = new Float32Array(new Uint32Array([0x7fc00001]).buffer);
    expect(bitMismatch('y', Float32Array.of(Number.NaN), quietNaN)).toMatch(/1 of 1 values differ/);
    expect(bitMismatch('y', Int8Array.of(1, 2), Int8Array.of(1, 3))).toMatch(/first at 1: 3 vs 2/);
  });

  it('refuses other lengths and types', () => {
    expect(bitMismatch('y', Float32Array.of(1), Float32Array.of(1, 2))).toMatch(/2 values, kapri has 1/);
    expect(bitMismatch('y', Float32Array.of(1), Int8Array.of(1))).toMatch(
      /returned \[object Int8Array\], kapri Float32Array/,
    );
    expect(bitMismatch('y', Float32Array.of(1), undefined)).toMatch(/returned \[object Undefined\]/);
  });

  it('lives in files that import nothing of Node (a browser bench imports them as they are)', () => {
    for (const f of [
      'ortSession.ts',
      'ortPeerRunner.ts',
      'kernelsOrt.ts',
      'modelsEndToEnd.ts',
      'modelVsOrt.ts',
      'measure.ts',
      'mobilenetQModel.ts',
    ]) {
      const src = readFileSync(new URL(`../../bench/${f}`, import.meta.url), 'utf8');
      const imports = [...src.matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);
      expect(
        imports.filter((i) => i.startsWith('node:') || !i.startsWith('.')),
        f,
      ).toEqual([]);
    }
  });
});

/** An onnxruntime stand-in whose one session returns `y` for any input, counting its releases. */
const fakeOrt = (y: Float32Array) => {
  const state = { released: 0 };
  const ort: OrtApi = {
    InferenceSession: {
      create: async () => ({
        inputNames: ['x'],
        outputNames: ['y'],
        run: async () => ({ y: { data: y, dims: [y.length] } }),
        release: async () => {
          state.released++;
        },
      }),
    },
    Tensor: class {
      constructor(
        readonly type: string,
        readonly data: unknown,
        readonly dims: readonly number[],
      ) {}
    },
  };
  return { ort, state };
};

describe('openCheckedSession', () => {
  const job = { label: 'm', bytes: new Uint8Array(1), input: { name: 'x', data: Float32Array.of(0), dims: [1] } };

  it("hands back an open session when its first run gives kapri's bits", async () => {
    const { ort, state } = fakeOrt(Float32Array.of(1, 2));
    const s = await openCheckedSession(ort, { ...job, expected: { y: Float32Array.of(1, 2) } }, {});
    expect(s.ok).toBe(true);
    expect(state.released).toBe(0);
  });

  it('releases the session and names the mismatch when its outputs differ', async () => {
    const { ort, state } = fakeOrt(Float32Array.of(1, 3));
    const s = await openCheckedSession(ort, { ...job, expected: { y: Float32Array.of(1, 2) } }, {});
    expect(s).toEqual({ ok: false, fault: expect.stringMatching(/output 'y': 1 of 2 values differ/) });
    expect(state.released).toBe(1);
  });
});
