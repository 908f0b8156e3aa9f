/**
 * `kapri export MODEL --onnx FILE`: writes a QModel as a standard ONNX graph that onnxruntime runs to
 * the same bits (src/onnx). The model is read and decoded as `kapri inspect` and `loadModel` read it;
 * the ONNX file is written atomically (a temporary name, then a rename).
 */
import * as E from 'fp-ts/lib/Either.js';
import { writeFileAtomic } from '../core/atomicWrite.js';
import { exportOnnx } from '../onnx/exportOnnx.js';
import { readModelSource } from '../runtime/modelSource.js';
import { decodeQModel } from '../runtime/qmodelFile.js';
import { DEFAULT_MODEL_LIMITS } from '../runtime/qmodelLimits.js';
import { fileAndTarget } from './parseFlags.js';
import { EXPORT_USAGE } from './usage.js';

export const exportCommand = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  const { file, target: out } = fileAndTarget(
    argv,
    'export',
    'a model file',
    'onnx',
    'FILE, the ONNX file to write',
    EXPORT_USAGE,
  );
  const { bytes } = await readModelSource(file, DEFAULT_MODEL_LIMITS.maxFileBytes);
  const r = decodeQModel(bytes, file);
  if (E.isLeft(r)) throw r.left;
  const onnxBytes = exportOnnx(r.right);
  await writeFileAtomic(out, onnxBytes);
  process.stdout.write(`wrote ${out} (${onnxBytes.length} bytes, ONNX opset 13) from ${file}\n`);
  return 0;
};
