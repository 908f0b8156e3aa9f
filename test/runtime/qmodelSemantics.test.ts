/**
 * Semantic validation at decode (issue 14, item 2): a file that decodes runs on both engines to the
 * same finite output; one that would not is refused with `CorruptModel` naming the tensor or op.
 * Every file here has valid checksums: only its meaning is wrong.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { KapriError } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { createExecutor } from '../../src/runtime/executor.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { inspectCommand } from '../../src/cli/inspectCommand.js';
import { branchyModelBytes, oneOpModelBytes, reencodeModel, smallModelBytes } from './qmodelFixture.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const refusal = (bytes: Uint8Array): KapriError => {
  const r = decodeQModel(bytes, 'm.kapri');
  if (E.isRight(r)) throw new Error('expected decode to refuse the model');
  expect(r.left).toBeInstanceOf(KapriError);
  return r.left;
};

/** Decodes and runs on both engines; returns the outputs after checking they are bit-equal and finite. */
const runsOnBoth = async (bytes: Uint8Array): Promise<Float32Array> => {
  const r = decodeQModel(bytes);
  if (E.isLeft(r)) throw r.left;
  const k = await loadKernels({ build: 'simd' });
  const exe = createKernelExecutor(r.right, k);
  const x = Float32Array.from({ length: exe.inputShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
  const name = r.right.header.outputs[0]!;
  const got = exe.run(x)[name]!;
  exe.dispose();
  const want = createExecutor(r.right).run(x)[name]!;
  expect(Array.from(new Uint32Array(got.buffer))).toEqual(Array.from(new Uint32Array(want.buffer)));
  expect(got.every(Number.isFinite)).toBe(true);
  return got;
};

describe('QModel semantic validation', () => {
  it.each([3.5e38, 1e-40, 1e-45])('refuses a tensor scale of %s (not a normal float32), naming the tensor', (scale) => {
    const b = reencodeModel(smallModelBytes(), (h) => {
      h['tensors'][4].quant.scale = scale;
    });
    const e = refusal(b);
    expect(e.tag).toBe('CorruptModel');
    expect(e.message).toMatch(/m\.kapri: tensor 'g': quant\.scale must be a positive normal float32/);
  });

  it.each([NaN, 0, -0.01, Infinity, 1e-40])(
    'refuses a per-channel weight scale of %s, naming the op and section',
    (s) => {
      const b = reencodeModel(smallModelBytes(), (_, sections) => {
        (sections[1] as Float32Array)[2] = s;
      });
      const e = refusal(b);
      expect(e.tag).toBe('CorruptModel');
      expect(e.message).toMatch(
        /op 1 \(conv2d → 'c1'\): weight scale 2 \(section 1\) must be a positive normal float32/,
      );
    },
  );

  it('refuses a requantization multiplier that is not a normal float32 though every scale is', () => {
    // m = f32(f32(s_in·s_w)/s_out) = 1e-12·1e-30/1e-3 underflows to a subnormal
    const b = reencodeModel(smallModelBytes(), (h, sections) => {
      h['tensors'][1].quant.scale = 1e-12;
      (sections[1] as Float32Array).fill(1e-30);
    });
    expect(refusal(b).message).toMatch(/op 1 \(conv2d → 'c1'\): multipliers\[0\] must be a positive normal float32/);
  });

  it('refuses a dequantize whose output overflows float32 (NaN or Inf from finite input today)', () => {
    // codes up to 128 from the zero point times 1e37 pass 3.4e38
    const b = oneOpModelBytes(
      [2, 2, 1],
      [1, 1, 1],
      { op: 'maxPool', size: [2, 2], stride: [2, 2], padding: 'valid' },
      [],
      { x: [1e37, 0], y: [1e37, 0] },
    );
    expect(refusal(b).message).toMatch(/op 2 \(dequantize → 'y'\): dequantizing 'yq' .* overflows float32/);
  });

  it('refuses an add whose float32 sum can overflow (the engines stored NaN differently)', () => {
    const b = reencodeModel(branchyModelBytes(), (h) => {
      h['tensors'][2].quant.scale = 1e30; // d
      h['tensors'][4].quant.scale = 1e-7; // a: d/a = 1e37
    });
    expect(refusal(b).message).toMatch(/op 3 \(add → 'a'\): .*overflow/);
  });

  it('refuses a bias that lets the int32 accumulator wrap, naming the op and channel', () => {
    const b = reencodeModel(smallModelBytes(), (_, sections) => {
      (sections[2] as Int32Array)[1] = 2 ** 31 - 1;
    });
    expect(refusal(b).message).toMatch(
      /op 1 \(conv2d → 'c1'\): bias\[1\] = 2147483647 .* could overflow the int32 accumulator/,
    );
  });

  it('refuses at decode a dense layer the kernel planner would refuse (more than 65,793 terms)', () => {
    const d = 65_794;
    const b = oneOpModelBytes([d], [1], { op: 'dense', bits: 8, activation: 'none', weights: 0, scales: 1, bias: 2 }, [
      new Int8Array(d),
      new Float32Array([0.01]),
      new Int32Array(1),
    ]);
    expect(refusal(b).message).toMatch(/op 1 \(dense → 'yq'\): a reduction of 65794 terms could overflow/);
  });

  it('refuses an average pool whose multiplier underflows for its window', () => {
    const b = oneOpModelBytes(
      [4, 4, 2],
      [1, 1, 2],
      { op: 'avgPool', size: [4, 4], stride: [1, 1], padding: 'valid' },
      [],
      { x: [1e-20, 0], y: [1e17, 0] },
    );
    expect(refusal(b).message).toMatch(
      /op 1 \(avgPool → 'yq'\): the multiplier of a 16-position window must be a positive normal float32/,
    );
  });

  it('runs a depthwise op carrying a stray bits field on both engines (the reference unpacked it as int4)', async () => {
    const b = reencodeModel(branchyModelBytes(), (h) => {
      h['ops'][1].bits = 4;
    });
    await runsOnBoth(b);
  });

  it('runs a graph with two outputs on both engines', async () => {
    await runsOnBoth(branchyModelBytes(3));
  });

  it('keeps only printable meta entries', () => {
    const b = reencodeModel(smallModelBytes(), (h) => {
      h['meta'] = { ok: 'yes', n: 3, nested: { toString: 1 }, list: [1] };
    });
    const r = decodeQModel(b);
    if (E.isLeft(r)) throw r.left;
    expect(r.right.header.meta).toEqual({ ok: 'yes', n: 3 });
  });

  it('kapri inspect refuses what decode refuses, with the same message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kapri-inspect-'));
    const file = join(dir, 'huge-scale.kapri');
    writeFileSync(
      file,
      reencodeModel(smallModelBytes(), (h) => {
        h['tensors'][4].quant.scale = 3.5e38;
      }),
    );
    const e = await inspectCommand([file]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KapriError);
    expect((e as KapriError).tag).toBe('CorruptModel');
    expect((e as KapriError).message).toMatch(
      /huge-scale\.kapri: tensor 'g': quant\.scale must be a positive normal float32/,
    );
  });
});
