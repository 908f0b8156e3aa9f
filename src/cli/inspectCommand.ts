/** `kapri inspect FILE`: a QModel's layers, bytes, quantization parameters and checksum status. */
import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { kapriError } from '../core/errors.js';
import { decodeQModel } from '../runtime/qmodelFile.js';
import { INSPECT_USAGE } from './usage.js';
import { UsageError } from './fail.js';

export const inspectCommand = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${INSPECT_USAGE}\n`);
    return 0;
  }
  if (argv.length !== 1) throw new UsageError(`'kapri inspect' takes exactly one model file.\n\n${INSPECT_USAGE}`);
  const file = argv[0]!;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw kapriError('Io', `cannot read ${file}: ${(e as { code?: string }).code ?? (e as Error).message}`);
  }
  const r = decodeQModel(bytes, file);
  if (E.isLeft(r)) throw r.left;
  const { header, sections } = r.right;
  const tensors = new Map(header.tensors.map((t) => [t.name, t]));
  const lines = [
    `model      ${header.name} (by ${header.producer})`,
    `file       ${file}, ${bytes.length} bytes, version 1, all ${sections.length} section checksums and the header checksum OK`,
    `inputs     ${header.inputs.map((n) => `${n} [${tensors.get(n)!.shape.join(', ')}] ${tensors.get(n)!.dtype}`).join('; ')}`,
    `outputs    ${header.outputs.map((n) => `${n} [${tensors.get(n)!.shape.join(', ')}] ${tensors.get(n)!.dtype}`).join('; ')}`,
    ...Object.entries(header.meta).map(([k, v]) => `meta       ${k}: ${v}`),
    '',
    'op               output                      shape           quant (scale, zp)        weights',
  ];
  for (const op of header.ops) {
    const t = tensors.get(op.output)!;
    const q = t.quant ? `${t.quant.scale.toPrecision(4)}, ${t.quant.zeroPoint}` : 'f32';
    const w = 'weights' in op ? `${sections[op.weights]!.byteLength} B${'bits' in op ? ` int${op.bits}` : ' int8'}` : '';
    lines.push(`${op.op.padEnd(16)} ${op.output.padEnd(27)} ${`[${t.shape.join(', ')}]`.padEnd(15)} ${q.padEnd(24)} ${w}`);
  }
  const weightBytes = header.ops.reduce((a, op) => a + ('weights' in op ? sections[op.weights]!.byteLength + sections[op.scales]!.byteLength + sections[op.bias]!.byteLength : 0), 0);
  lines.push('', `weights, scales and biases: ${weightBytes} bytes`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
