/**
 * `kapri inspect FILE`: a QModel's layers, bytes, quantization parameters, checksum status and cost.
 * It reads and decodes exactly as `loadModel` does (a regular file, read with the default cap, the
 * same semantic checks and limits), so what it refuses, with the same message, loadModel refuses.
 */
import * as E from 'fp-ts/lib/Either.js';
import { readModelSource } from '../runtime/modelSource.js';
import { decodeQModel } from '../runtime/qmodelFile.js';
import { DEFAULT_MODEL_LIMITS } from '../runtime/qmodelLimits.js';
import { INSPECT_USAGE } from './usage.js';
import { UsageError } from './fail.js';

export const inspectCommand = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${INSPECT_USAGE}\n`);
    return 0;
  }
  if (argv.length !== 1) throw new UsageError(`'kapri inspect' takes exactly one model file.\n\n${INSPECT_USAGE}`);
  const file = argv[0]!;
  const { bytes } = await readModelSource(file, DEFAULT_MODEL_LIMITS.maxFileBytes);
  const r = decodeQModel(bytes, file);
  if (E.isLeft(r)) throw r.left;
  const { header, sections, cost } = r.right;
  const tensors = new Map(header.tensors.map((t) => [t.name, t]));
  const lines = [
    `model      ${header.name} (by ${header.producer})`,
    `file       ${file}, ${bytes.length} bytes, version 1, all ${sections.length} section checksums and the header checksum OK`,
    `inputs     ${header.inputs.map((n) => `${n} [${tensors.get(n)!.shape.join(', ')}] ${tensors.get(n)!.dtype}`).join('; ')}`,
    `cost       ${cost.macs} multiply-accumulates and element operations per sample, at most ${cost.arenaBytes} bytes of kernel arena; runs on both engines`,
    `outputs    ${header.outputs.map((n) => `${n} [${tensors.get(n)!.shape.join(', ')}] ${tensors.get(n)!.dtype}`).join('; ')}`,
    ...Object.entries(header.meta).map(([k, v]) => `meta       ${k}: ${v}`),
    '',
    'op               output                      shape           quant (scale, zp)        weights',
  ];
  for (const op of header.ops) {
    const t = tensors.get(op.output)!;
    const q = t.quant ? `${t.quant.scale.toPrecision(4)}, ${t.quant.zeroPoint}` : 'f32';
    const w =
      'weights' in op ? `${sections[op.weights]!.byteLength} B${'bits' in op ? ` int${op.bits}` : ' int8'}` : '';
    lines.push(
      `${op.op.padEnd(16)} ${op.output.padEnd(27)} ${`[${t.shape.join(', ')}]`.padEnd(15)} ${q.padEnd(24)} ${w}`,
    );
  }
  const weightBytes = header.ops.reduce(
    (a, op) =>
      a +
      ('weights' in op
        ? sections[op.weights]!.byteLength + sections[op.scales]!.byteLength + sections[op.bias]!.byteLength
        : 0),
    0,
  );
  lines.push('', `weights, scales and biases: ${weightBytes} bytes`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
