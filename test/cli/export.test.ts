/** `kapri export MODEL --onnx FILE` through the compiled CLI: the ONNX it writes runs to the model's bits. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrap } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { loadOrt } from '../onnx/ortWeb.js';
import { branchyModelBytes, reencodeModel } from '../runtime/qmodelFixture.js';
import { bits, randomF32 } from '../support/values.js';
import { kapriCli } from '../support/cli.js';

const kapri = kapriCli;
const dir = mkdtempSync(join(tmpdir(), 'kapri-export-'));

describe('kapri export', () => {
  it('writes an ONNX file that onnxruntime-web runs to the kernel executor’s bits', async () => {
    const bytes = branchyModelBytes(4);
    const file = join(dir, 'model.kapri');
    const out = join(dir, 'model.onnx');
    writeFileSync(file, bytes);
    const r = kapri('export', file, '--onnx', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote .*model\.onnx \(\d+ bytes, ONNX opset 13\)/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const input = randomF32(2 * 6 * 6 * 4, 5, 2);
    const exe = createKernelExecutor(unwrap(decodeQModel(bytes)), await loadKernels());
    const want = exe.run(input, 2);
    exe.dispose();
    const ort = await loadOrt(new Uint8Array(readFileSync(out)));
    const got = await ort.run(input, [2, 6, 6, 4]);
    await ort.release();
    for (const name of ['y', 'g']) expect(bits(got[name]!)).toEqual(bits(want[name]!));
  });

  it('asks for --onnx with its usage (exit 2) and writes nothing', () => {
    const file = join(dir, 'model2.kapri');
    writeFileSync(file, branchyModelBytes());
    const r = kapri('export', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs --onnx FILE/);
    expect(r.stderr).toMatch(/Usage: kapri export MODEL --onnx FILE/);
  });

  it('names the op it cannot express in one paragraph (exit 1), without a stack or a file', () => {
    const file = join(dir, 'padded.kapri');
    writeFileSync(
      file,
      reencodeModel(branchyModelBytes(), (h) => {
        const op = h['ops'].find((o: { op: string }) => o.op === 'avgPool');
        Object.assign(op, { padding: 'same', stride: [1, 1], size: [2, 2] });
        h['tensors'].find((t: { name: string }) => t.name === 'p').shape = [6, 6, 4];
      }),
    );
    const out = join(dir, 'padded.onnx');
    const r = kapri('export', file, '--onnx', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kapri: op 4 \(avgPool → 'p'\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('names a missing model file', () => {
    const r = kapri('export', join(dir, 'none.kapri'), '--onnx', join(dir, 'none.onnx'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/none\.kapri.*ENOENT/);
  });
});
