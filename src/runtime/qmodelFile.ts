/**
 * The QModel file (`model.kapri`):
 *   0  "KQMD"   4  version u32 LE   8  header length N u32   12  CRC-32 of the header u32
 *   16 header JSON (N bytes), then sections, each at a 64-byte-aligned offset with its CRC-32 in the header.
 * Decoding validates everything before anything runs: magic, version, lengths, every checksum, the
 * header's schema, that sections lie inside the file without overlapping, and that the graph is
 * consistent (tensors defined before use, shapes and section sizes agree with each op). Any failure
 * is `CorruptModel` naming what is wrong; nothing reads outside the file. Then the semantic checks
 * (qmodelSemantics.ts) refuse what an engine could not run, and the limits what would cost too much.
 */
import * as E from 'fp-ts/lib/Either.js';
import { crc32 } from '../core/crc32.js';
import { KapriError, kapriError } from '../core/errors.js';
import { checkLimit, resolveModelLimits, type ModelLimits } from './qmodelLimits.js';
import { checkModelSemantics } from './qmodelSemantics.js';
import { bad, Corrupt, isInt, isObj, isStr } from './headerChecks.js';
import { QOP_REGISTRY, type QOp } from './ops/builtinOps.js';
import type { QOpBase } from './ops/opDefinition.js';
import type { OpRegistry } from './ops/opRegistry.js';
import type { QModel, QModelHeader, QTensor, SectionDtype, SectionInfo } from './qmodelTypes.js';

const MAGIC = [0x4b, 0x51, 0x4d, 0x44];
/**
 * The newest file version this runtime writes and reads. Version 2 added the 7-bit weight form
 * (`bits: 7` on conv2d and dense); a model without it is still written as version 1, so runtimes
 * that read only version 1 keep reading it, and version-1 files are read as before.
 */
export const QMODEL_VERSION = 2;
/** The first version whose ops may hold 7-bit weights. */
const INT7_VERSION = 2;
const ALIGN = 64;
const MAX_HEADER = 16 * 1024 * 1024;
const MAX_ELEMENTS = 1 << 28;
const BYTES: Record<SectionDtype, number> = { i8: 1, u8: 1, i32: 4, f32: 4 };

export type SectionData = Int8Array | Uint8Array | Int32Array | Float32Array;

const dtypeOf = (a: SectionData): SectionDtype =>
  a instanceof Int8Array ? 'i8' : a instanceof Uint8Array ? 'u8' : a instanceof Int32Array ? 'i32' : 'f32';

/**
 * Encodes a model; section offsets and checksums are computed here. The ops are written as given
 * (their keys in their order); they are the built-in ops unless `Op` names another registry's
 * (`encodeQModel<QOp | NegOp>(…)`), and decoding checks them.
 */
export const encodeQModel = <Op extends QOpBase = QOp>(
  header: Omit<QModelHeader<NoInfer<Op>>, 'sections'>,
  sections: readonly SectionData[],
): Uint8Array => {
  const infos: SectionInfo[] = [];
  const draft = (infosSoFar: SectionInfo[]) =>
    new TextEncoder().encode(JSON.stringify({ ...header, sections: infosSoFar }));
  // Offsets depend on the header length, which depends on the offsets' digits: iterate to a fixed point.
  let headerLen =
    draft(sections.map((s) => ({ offset: 0, length: s.length, dtype: dtypeOf(s), crc32: 0 }))).length + 64;
  for (;;) {
    infos.length = 0;
    let off = Math.ceil((16 + headerLen) / ALIGN) * ALIGN;
    for (const s of sections) {
      const bytes = new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
      infos.push({ offset: off, length: s.length, dtype: dtypeOf(s), crc32: crc32(bytes) });
      off = Math.ceil((off + s.byteLength) / ALIGN) * ALIGN;
    }
    const json = draft(infos);
    if (json.length <= headerLen) {
      const end = infos.length
        ? infos[infos.length - 1]!.offset + sections[sections.length - 1]!.byteLength
        : 16 + headerLen;
      const out = new Uint8Array(end);
      const dv = new DataView(out.buffer);
      out.set(MAGIC, 0);
      dv.setUint32(4, usesInt7(header.ops) ? INT7_VERSION : 1, true);
      // Pad the JSON with spaces to the reserved length so that offsets stay valid.
      const padded = new Uint8Array(headerLen).fill(0x20);
      padded.set(json);
      dv.setUint32(8, headerLen, true);
      dv.setUint32(12, crc32(padded), true);
      out.set(padded, 16);
      sections.forEach((s, i) => out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), infos[i]!.offset));
      return out;
    }
    headerLen = json.length + 64;
  }
};

/** Whether any op holds weights in the 7-bit form. */
const usesInt7 = (ops: readonly QOpBase[]): boolean => ops.some((o) => (o as { bits?: unknown }).bits === 7);

const validateTensors = (raw: unknown): Map<string, QTensor> => {
  if (!Array.isArray(raw) || raw.length === 0) bad('header.tensors must be a non-empty array');
  const m = new Map<string, QTensor>();
  for (const t of raw as unknown[]) {
    if (!isObj(t) || !isStr(t['name'])) bad('every tensor needs a name');
    const tt = t as Record<string, unknown>;
    const name = tt['name'] as string;
    if (m.has(name)) bad(`tensor '${name}' is declared twice`);
    const shape = tt['shape'];
    if (!Array.isArray(shape) || shape.length < 1 || shape.length > 4 || !shape.every((d) => isInt(d, 1, 1 << 20)))
      bad(`tensor '${name}' has an invalid shape`);
    if ((shape as number[]).reduce((a, b) => a * b, 1) > MAX_ELEMENTS) bad(`tensor '${name}' is too large`);
    if (tt['dtype'] !== 'f32' && tt['dtype'] !== 'i8')
      bad(`tensor '${name}' has dtype ${String(tt['dtype'])} (expected f32 or i8)`);
    if (tt['dtype'] === 'i8') {
      const q = tt['quant'];
      if (
        !isObj(q) ||
        typeof q['scale'] !== 'number' ||
        !Number.isFinite(q['scale']) ||
        q['scale'] <= 0 ||
        !isInt(q['zeroPoint'], -128, 127)
      ) {
        bad(`int8 tensor '${name}' needs quant {scale > 0, zeroPoint in [-128, 127]}`);
      }
    }
    // Only the known fields are kept: a stray field (a quant on an f32 tensor) must not reach an engine.
    const quant =
      tt['dtype'] === 'i8'
        ? {
            scale: (tt['quant'] as Record<string, number>)['scale']!,
            zeroPoint: (tt['quant'] as Record<string, number>)['zeroPoint']!,
          }
        : undefined;
    m.set(name, {
      name,
      shape: [...(shape as number[])],
      dtype: tt['dtype'] as 'f32' | 'i8',
      ...(quant ? { quant } : {}),
    });
  }
  return m;
};

const validateSections = (raw: unknown, file: Uint8Array, headerEnd: number): SectionInfo[] => {
  if (!Array.isArray(raw)) bad('header.sections must be an array');
  const infos = raw as unknown[];
  let prevEnd = headerEnd;
  return infos.map((s, i) => {
    if (
      !isObj(s) ||
      !isInt(s['offset']) ||
      !isInt(s['length'], 0, MAX_ELEMENTS) ||
      !isInt(s['crc32'], 0, 0xffffffff) ||
      typeof s['dtype'] !== 'string' ||
      !Object.hasOwn(BYTES, s['dtype'])
    ) {
      bad(`section ${i} is malformed`);
    }
    const raw = s as Record<string, unknown>;
    const info: SectionInfo = {
      offset: raw['offset'] as number,
      length: raw['length'] as number,
      dtype: raw['dtype'] as SectionDtype,
      crc32: raw['crc32'] as number,
    };
    if (info.offset % ALIGN !== 0) bad(`section ${i} is not ${ALIGN}-byte aligned`);
    if (info.offset < prevEnd) bad(`section ${i} overlaps the header or the previous section`);
    for (let b = prevEnd; b < info.offset; b++)
      if (file[b] !== 0) bad(`non-zero padding byte at ${b} before section ${i}`);
    const end = info.offset + info.length * BYTES[info.dtype];
    if (end > file.length)
      bad(`section ${i} ends at byte ${end}, past the end of the file (${file.length} bytes): truncated?`);
    if (crc32(file.subarray(info.offset, end)) !== info.crc32) bad(`section ${i} fails its checksum`);
    prevEnd = end;
    return info;
  });
};

/** Every byte is accounted for: the file ends where the last section (or the header) ends. */
const checkNoTrailingBytes = (file: Uint8Array, sections: SectionInfo[], headerEnd: number): void => {
  const last = sections[sections.length - 1];
  const end = last ? last.offset + last.length * BYTES[last.dtype] : headerEnd;
  if (file.length !== end) bad(`${file.length - end} unexpected byte(s) after the last section`);
};

const validateOps = <Op extends QOpBase>(
  registry: OpRegistry<Op>,
  raw: unknown,
  tensors: Map<string, QTensor>,
  inputs: string[],
  sections: SectionInfo[],
): Op[] => {
  if (!Array.isArray(raw) || raw.length === 0) bad('header.ops must be a non-empty array');
  const defined = new Set(inputs);
  // Each op is rebuilt by its definition from its known fields only: what the engines read is exactly what was checked.
  return (raw as unknown[]).map((o, i): Op => {
    const where = `op ${i}`;
    if (!isObj(o) || typeof o['op'] !== 'string' || !Array.isArray(o['inputs']) || !isStr(o['output']))
      bad(`${where} is malformed`);
    const op = o as Record<string, unknown>;
    const ins = (op['inputs'] as unknown[]).map((n) => {
      if (typeof n !== 'string' || !defined.has(n))
        bad(`${where} (${String(op['op'])}) reads '${String(n)}' before it is defined`);
      return tensors.get(n as string)!;
    });
    const outName = op['output'] as string;
    const out = tensors.get(outName);
    if (!out) bad(`${where} writes undeclared tensor '${outName}'`);
    if (defined.has(outName)) bad(`${where} writes '${outName}', which is already defined`);
    const def = registry.get(op['op'] as string) ?? bad(`${where}: unknown op '${String(op['op'])}'`);
    const result = def.decode({ where, raw: op, inputs: ins, output: out as QTensor, sections });
    defined.add(outName);
    return result;
  });
};

const viewOf = (file: Uint8Array, s: SectionInfo): SectionData => {
  // Copy into an aligned buffer of its own: views must not depend on the file's alignment.
  const bytes = file.slice(s.offset, s.offset + s.length * BYTES[s.dtype]);
  return s.dtype === 'i8'
    ? new Int8Array(bytes.buffer)
    : s.dtype === 'u8'
      ? bytes
      : s.dtype === 'i32'
        ? new Int32Array(bytes.buffer)
        : new Float32Array(bytes.buffer);
};

/** Keeps the meta entries `kapri inspect` can print: strings and finite numbers. */
const metaOf = (raw: unknown): Record<string, string | number> =>
  isObj(raw)
    ? (Object.fromEntries(
        Object.entries(raw).filter(([, v]) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))),
      ) as Record<string, string | number>)
    : {};

/**
 * Decodes and validates a model file: its structure (see the file comment), then what it asks of the
 * engines (src/runtime/qmodelSemantics.ts) and its cost against `limits` (defaults:
 * {@link DEFAULT_MODEL_LIMITS}). A file that decodes runs on both engines to the same finite output.
 */
export const decodeQModel = (
  file: Uint8Array,
  source = '(bytes)',
  limits: Partial<ModelLimits> = {},
): E.Either<KapriError, QModel<QOp>> => decodeQModelWith(QOP_REGISTRY, file, source, limits);

/**
 * {@link decodeQModel} with the ops of `registry` (see ops/opRegistry.ts): an op the registry lacks
 * is refused as unknown. Run the model with the same registry (the executors' option `ops`).
 */
export const decodeQModelWith = <Op extends QOpBase>(
  registry: OpRegistry<Op>,
  file: Uint8Array,
  source = '(bytes)',
  limits: Partial<ModelLimits> = {},
): E.Either<KapriError, QModel<Op>> => {
  try {
    if (!(file instanceof Uint8Array)) bad('expected bytes');
    const caps = resolveModelLimits(limits);
    checkLimit(caps, 'maxFileBytes', file.length, 'the file size in bytes');
    if (file.length < 16 || MAGIC.some((m, i) => file[i] !== m)) bad('not a kapri model (bad magic)');
    const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const version = dv.getUint32(4, true);
    if (version < 1 || version > QMODEL_VERSION)
      bad(`version ${version} is not supported (this runtime reads versions 1 to ${QMODEL_VERSION})`);
    const n = dv.getUint32(8, true);
    if (n > MAX_HEADER || 16 + n > file.length)
      bad(`header length ${n} does not fit the file (${file.length} bytes): truncated?`);
    const headerBytes = file.subarray(16, 16 + n);
    if (crc32(headerBytes) !== dv.getUint32(12, true)) bad('the header fails its checksum');
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
    } catch {
      bad('the header is not valid JSON');
    }
    if (!isObj(raw)) bad('the header is not an object');
    const h = raw as Record<string, unknown>;
    if (!isStr(h['name'])) bad('header.name is missing');
    const tensors = validateTensors(h['tensors']);
    const names = (k: 'inputs' | 'outputs'): string[] => {
      const v = h[k];
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && tensors.has(x)))
        bad(`header.${k} must name declared tensors`);
      return v as string[];
    };
    const inputs = names('inputs');
    const outputs = names('outputs');
    // Both executors copy one float32 input in and read outputs as f32 or int8 codes: a graph the
    // runtime cannot feed is refused here, never left to write past its input region.
    if (inputs.length !== 1)
      bad(`header.inputs names ${inputs.length} tensors; this runtime runs graphs with exactly one input`);
    if (tensors.get(inputs[0]!)!.dtype !== 'f32')
      bad(`graph input '${inputs[0]}' has dtype ${tensors.get(inputs[0]!)!.dtype}; graph inputs must be f32`);
    if (new Set(outputs).size !== outputs.length) bad('header.outputs names a tensor twice');
    const sections = validateSections(h['sections'], file, 16 + n);
    checkNoTrailingBytes(file, sections, 16 + n);
    const ops = validateOps(registry, h['ops'], tensors, inputs, sections);
    if (version < INT7_VERSION && usesInt7(ops))
      bad(
        `an op holds 7-bit weights (bits 7), which version ${version} files cannot (version ${INT7_VERSION} or later)`,
      );
    const produced = new Set([...inputs, ...ops.map((o) => o.output)]);
    for (const o of outputs) if (!produced.has(o)) bad(`output '${o}' is never computed`);
    const header: QModelHeader<Op> = {
      name: h['name'] as string,
      producer: typeof h['producer'] === 'string' ? h['producer'] : 'unknown',
      tensors: [...tensors.values()],
      inputs,
      outputs,
      ops,
      sections,
      meta: metaOf(h['meta']),
    };
    const structural = { header, sections: sections.map((s) => viewOf(file, s)), bytes: file.length };
    return E.right({ ...structural, cost: checkModelSemantics(structural, caps, registry) });
  } catch (e) {
    if (e instanceof Corrupt)
      return E.left(kapriError('CorruptModel', `model ${source}: ${e.message}`, { file: source }));
    if (e instanceof KapriError)
      return E.left(kapriError(e.tag, `model ${source}: ${e.message}`, { ...e.details, file: source }));
    return E.left(
      kapriError('CorruptModel', `model ${source}: could not be validated (${(e as Error).message})`, { file: source }),
    );
  }
};
