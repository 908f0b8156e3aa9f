import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { createRng } from '../../src/core/rng.js';
import { crc32 } from '../../src/core/crc32.js';
import { smallModelBytes } from './qmodelFixture.js';

const left = (r: E.Either<Error, unknown>): Error => {
  if (E.isRight(r)) throw new Error('expected a CorruptModel error');
  return r.left;
};

/** Rewrites the header JSON (and its checksum) so that one field can be made wrong on purpose. */
const withHeader = (bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array => {
  const dv = new DataView(bytes.buffer);
  const n = dv.getUint32(8, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + n))) as Record<string, unknown>;
  edit(h);
  const json = new TextEncoder().encode(JSON.stringify(h));
  if (json.length > n) throw new Error('edited header too long for the fixture');
  const out = bytes.slice();
  const padded = new Uint8Array(n).fill(0x20);
  padded.set(json);
  out.set(padded, 16);
  new DataView(out.buffer).setUint32(12, crc32(padded), true);
  return out;
};

describe('QModel file', () => {
  it('decodes what it encodes, with 64-byte-aligned sections', () => {
    const r = decodeQModel(smallModelBytes());
    expect(E.isRight(r)).toBe(true);
    const m = (r as E.Right<import('../../src/runtime/qmodelTypes.js').QModel>).right;
    expect(m.header.ops.map((o) => o.op)).toEqual([
      'quantize',
      'conv2d',
      'maxPool',
      'globalAvgPool',
      'dense',
      'dequantize',
    ]);
    expect(m.header.sections.every((s) => s.offset % 64 === 0)).toBe(true);
    expect(m.sections[0]!.length).toBe(108);
  });

  it('refuses a truncated file, saying so', () => {
    const b = smallModelBytes();
    const e = left(decodeQModel(b.subarray(0, b.length - 3), 'm.kapri'));
    expect(e.message).toMatch(/m\.kapri/);
    expect(e.message).toMatch(/truncated|past the end/);
  });

  it('refuses a changed weight byte through the section checksum', () => {
    const b = smallModelBytes();
    b[b.length - 1]! ^= 1;
    expect(left(decodeQModel(b)).message).toMatch(/section 5 fails its checksum/);
  });

  it('refuses a changed padding byte and trailing bytes', () => {
    const b = smallModelBytes();
    const m = decodeQModel(b);
    if (E.isLeft(m)) throw m.left;
    const s5 = m.right.header.sections[5]!;
    const p = b.slice();
    p[s5.offset - 1] = 7;
    expect(left(decodeQModel(p)).message).toMatch(/padding/);
    const t = new Uint8Array(b.length + 1);
    t.set(b);
    expect(left(decodeQModel(t)).message).toMatch(/after the last section/);
  });

  it('refuses a conv whose declared output shape does not follow from its input', () => {
    const b = withHeader(smallModelBytes(), (h) => {
      (h['tensors'] as { name: string; shape: number[] }[])[2]!.shape = [7, 8, 4];
    });
    expect(left(decodeQModel(b)).message).toMatch(/output must be \[8, 8, 4\]/);
  });

  it('refuses an op that reads a tensor before it is defined', () => {
    const b = withHeader(smallModelBytes(), (h) => {
      (h['ops'] as { inputs: string[] }[])[1]!.inputs = ['g'];
    });
    expect(left(decodeQModel(b)).message).toMatch(/reads 'g' before it is defined/);
  });

  it('refuses a weight section of the wrong size for its op', () => {
    const b = withHeader(smallModelBytes(), (h) => {
      (h['ops'] as { weights?: number }[])[1]!.weights = 3;
    });
    expect(left(decodeQModel(b)).message).toMatch(/weights: expected 108 i8 values/);
  });

  it('refuses a zero scale on an int8 tensor', () => {
    const b = withHeader(smallModelBytes(), (h) => {
      (h['tensors'] as { quant?: { scale: number } }[])[1]!.quant!.scale = 0;
    });
    expect(left(decodeQModel(b)).message).toMatch(/scale > 0/);
  });

  it('refuses a graph input that is not f32: the executor copies floats into it', () => {
    const b = withHeader(smallModelBytes(), (h) => {
      const ts = h['tensors'] as { name: string; dtype: string; quant?: unknown }[];
      ts[0]!.dtype = 'i8';
      ts[0]!.quant = { scale: 0.02, zeroPoint: 0 };
    });
    const e = left(decodeQModel(b));
    expect(e.name).toBe('KapriError[CorruptModel]');
    expect(e.message).toMatch(/graph input 'x' has dtype i8; graph inputs must be f32/);
  });

  it('refuses a graph with more than one input, naming the count', () => {
    const b = withHeader(smallModelBytes(), (h) => {
      h['inputs'] = ['x', 'xq'];
    });
    const e = left(decodeQModel(b));
    expect(e.name).toBe('KapriError[CorruptModel]');
    expect(e.message).toMatch(/names 2 tensors; this runtime runs graphs with exactly one input/);
  });

  it('refuses an output named twice', () => {
    const b = withHeader(smallModelBytes(), (h) => {
      h['outputs'] = ['y', 'y'];
    });
    expect(left(decodeQModel(b)).message).toMatch(/outputs names a tensor twice/);
  });

  it('survives 10,000 random mutations with typed CorruptModel errors and never throws', () => {
    const base = smallModelBytes();
    const rng = createRng(2024);
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      let b = base.slice();
      const kind = rng.int(4);
      if (kind === 0) {
        for (let k = 0, n = 1 + rng.int(4); k < n; k++) b[rng.int(b.length)] = rng.int(256);
      } else if (kind === 1) {
        b = b.subarray(0, rng.int(b.length));
      } else if (kind === 2) {
        // a header byte changed with the checksum fixed up: exercises the schema validation
        const n = new DataView(b.buffer).getUint32(8, true);
        b[16 + rng.int(n)] = rng.int(128);
        new DataView(b.buffer).setUint32(12, crc32(b.subarray(16, 16 + n)), true);
      } else {
        const at = rng.int(b.length);
        const ins = Uint8Array.from({ length: 1 + rng.int(8) }, () => rng.int(256));
        const nb = new Uint8Array(b.length + ins.length);
        nb.set(b.subarray(0, at));
        nb.set(ins, at);
        nb.set(b.subarray(at), at + ins.length);
        b = nb;
      }
      const r = decodeQModel(b);
      if (E.isLeft(r)) {
        expect(r.left.name).toBe('KapriError[CorruptModel]');
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(9000);
  });
});
