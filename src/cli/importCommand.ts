/**
 * `kapri import FILE.onnx --out MODEL`: converts an int8 ONNX model (QLinear or QDQ form) into a QModel
 * that kapri's executors run to onnxruntime's bits (src/onnx). The ONNX file is read as a model file
 * is (a regular file, with the default size cap); the QModel is written atomically.
 */
import { writeFileAtomic } from '../core/atomicWrite.js';
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
  const { file, target: out } = fileAndTarget(
    argv,
    'import',
    'an ONNX file',
    'out',
    'MODEL, the QModel file to write',
    IMPORT_USAGE,
  );
  const { bytes } = await readModelSource(file, DEFAULT_MODEL_LIMITS.maxFileBytes);
  const qmodel = importOnnx(bytes);
  await writeFileAtomic(out, qmodel);
  process.stdout.write(`wrote ${out} (${qmodel.length} bytes, a QModel) from ${file}\n`);
  return 0;
};
