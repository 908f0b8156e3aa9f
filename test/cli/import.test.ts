/** `kapri import FILE.onnx --out MODEL` through the compiled CLI: the QModel it writes runs to onnxruntime's bits. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrap } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { qlinearModel } from '../onnx/onnxModels.js';
import { floatMlp, uniform } from '../compress/floatOnnxModels.js';
import { quantizeOnnx } from '../../src/compress/quantizeOnnx.js';
import { encodeNpy } from '../../src/data/npy.js';
import { loadOrt } from '../onnx/ortWeb.js';
import { bits, randomF32 } from '../support/values.js';
import { kapriCli } from '../support/cli.js';

const kapri = kapriCli;
const dir = mkdtempSync(join(tmpdir(), 'kapri-import-'));

describe('kapri import', () => {
  it('writes a QModel that the kernel executor runs to onnxruntime-web’s bits', async () => {
    const onnxBytes = qlinearModel(7, { uint8: true, perChannel: true });
    const file = join(dir, 'model.onnx');
    const out = join(dir, 'model.kapri');
    writeFileSync(file, onnxBytes);
    const r = kapri('import', file, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote .*model\.kapri \(\d+ bytes, a QModel\)/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const x = randomF32(9 * 9 * 4, 3, 1.5); // NCHW for onnxruntime; kapri takes the same sample as NHWC
    const nhwc = new Float32Array(x.length);
    for (let c = 0; c < 4; c++) for (let i = 0; i < 81; i++) nhwc[i * 4 + c] = x[c * 81 + i]!;
    const ort = await loadOrt(onnxBytes);
    const want = (await ort.run(x, [1, 4, 9, 9]))['y']!;
    await ort.release();
    const exe = createKernelExecutor(unwrap(decodeQModel(new Uint8Array(readFileSync(out)))), await loadKernels());
    expect(bits(exe.run(nhwc)['y']!)).toEqual(bits(want));
    exe.dispose();
  });

  it('asks for --out with its usage (exit 2)', () => {
    const file = join(dir, 'm2.onnx');
    writeFileSync(file, qlinearModel(1, { uint8: false, perChannel: true }));
    const r = kapri('import', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs --out MODEL/);
  });

  it('names what is not ONNX in one paragraph (exit 1) and writes nothing', () => {
    const file = join(dir, 'bad.onnx');
    writeFileSync(file, new Uint8Array([0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    const out = join(dir, 'bad.kapri');
    const r = kapri('import', file, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kapri: not an ONNX model/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('quantizes a float model on --calibration samples (.npy) to the QModel quantizeOnnx writes', () => {
    const file = join(dir, 'float.onnx');
    const samples = join(dir, 'samples.npy');
    const out = join(dir, 'float.kapri');
    writeFileSync(file, floatMlp());
    const data = uniform(20 * 16, 5);
    writeFileSync(samples, encodeNpy(data, [20, 16]));
    const r = kapri('import', file, '--calibration', samples, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote .*float\.kapri \(\d+ bytes, a QModel\) from .*, calibrated on 20 samples of/);
    expect(new Uint8Array(readFileSync(out))).toEqual(quantizeOnnx(floatMlp(), { data, shape: [20, 16] }));
  });

  it('asks for calibration samples for a float model, and refuses samples of the wrong shape (exit 1)', () => {
    const file = join(dir, 'float2.onnx');
    writeFileSync(file, floatMlp());
    const none = kapri('import', file, '--out', join(dir, 'f2.kapri'));
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/is a float model .*--calibration SAMPLES\.npy/);
    const samples = join(dir, 'wrong.npy');
    writeFileSync(samples, encodeNpy(uniform(4 * 15, 1), [4, 15]));
    const wrong = kapri('import', file, '--calibration', samples, '--out', join(dir, 'f3.kapri'));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/calibration samples have shape \[4, 15\]; the model's input takes \[N, 16\]/);
    expect(existsSync(join(dir, 'f3.kapri'))).toBe(false);
    const int8 = join(dir, 'int8.onnx');
    writeFileSync(int8, qlinearModel(1, { uint8: false, perChannel: true }));
    const q = kapri('import', int8, '--calibration', samples, '--out', join(dir, 'f4.kapri'));
    expect(q.status).toBe(1);
    expect(q.stderr).toMatch(/is not a float model/);
  });
});
