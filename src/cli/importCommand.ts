/**
 * `kapri import FILE.onnx --out MODEL [--calibration SAMPLES.npy]`: converts an int8 ONNX model
 * (QLinear or QDQ form) into a QModel that kapri's executors run to onnxruntime's bits (src/onnx), or
 * a float ONNX model, quantized by kapri's own calibration on the samples (src/compress/quantizeOnnx.ts).
 * The ONNX file is read as a model file is (a regular file, with the default size cap); the samples
 * as a `.npy` file of shape [N, ...the model input's dims]; the QModel is written atomically.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomicWrite.js';
import { kapriError } from '../core/errors.js';
import { quantizeOnnx } from '../compress/quantizeOnnx.js';
import { readNpy } from '../data/npy.js';
import { isFloatOnnx } from '../onnx/floatModel.js';
import { importOnnx } from '../onnx/importOnnx.js';
import { readModelSource } from '../runtime/modelSource.js';
import { DEFAULT_MODEL_LIMITS } from '../runtime/qmodelLimits.js';
import { fileAndTarget } from './parseFlags.js';
import { IMPORT_USAGE } from './usage.js';

export const importCommand = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  const {
    file,
    target: out,
    flags,
  } = fileAndTarget(argv, 'import', 'an ONNX file', 'out', 'MODEL, the QModel file to write', IMPORT_USAGE, {
    calibration: { type: 'string' },
  });
  const calibration = flags['calibration'];
  const { bytes } = await readModelSource(file, DEFAULT_MODEL_LIMITS.maxFileBytes);
  let qmodel: Uint8Array;
  let how = '';
  if (typeof calibration === 'string') {
    if (!isFloatOnnx(bytes))
      throw kapriError(
        'InvalidArgument',
        `${file} is not a float model (it has quantized nodes, or no Conv, Gemm or MatMul); import it without --calibration`,
      );
    const samples = readNpy(new Uint8Array(await readFile(calibration)), calibration);
    qmodel = quantizeOnnx(bytes, { data: Float32Array.from(samples.data), shape: samples.shape });
    how = `, calibrated on ${samples.shape[0]} samples of ${calibration}`;
  } else qmodel = importOnnx(bytes);
  await writeFileAtomic(out, qmodel);
  process.stdout.write(`wrote ${out} (${qmodel.length} bytes, a QModel) from ${file}${how}\n`);
  return 0;
};
