/**
 * The prior artifact: a versioned binary that loads back bit for bit.
 *   "KPRI" | version u32 | header length N u32 | JSON header (N bytes) | zero pad to 4 |
 *   float32 LE data (μ and weights of each term, at the header's offsets) | CRC-32 u32 of all before it
 * The header names the family, form, model and every term's path and shape, so loading it for another
 * architecture fails with a message naming the mismatch (see bindPrior).
 */
import { crc32 } from '../core/crc32.js';
import type * as E from 'fp-ts/lib/Either.js';
import { catchKapri, kapriError, type KapriError } from '../core/errors.js';
import type { Prior, PriorFamily, PriorForm } from './prior.js';
import { priorRegistry } from './registry.js';

const MAGIC = [0x4b, 0x50, 0x52, 0x49];
export const PRIOR_ARTIFACT_VERSION = 1;

interface HeaderTerm {
  path: string;
  shape: number[];
  muOffset: number;
  weightOffset: number;
  weightLength: number;
}
interface Header {
  family: PriorFamily;
  form: PriorForm;
  model: string;
  meta: Record<string, number | string>;
  terms: HeaderTerm[];
}

/** Encodes a prior. */
export const encodePrior = (p: Prior): Uint8Array => {
  let off = 0;
  const terms: HeaderTerm[] = p.terms.map((t) => {
    const h = {
      path: t.path,
      shape: t.shape.slice(),
      muOffset: off,
      weightOffset: off + t.mu.length,
      weightLength: t.weight.length,
    };
    off += t.mu.length + t.weight.length;
    return h;
  });
  const header: Header = { family: p.family, form: p.form, model: p.model, meta: { ...p.meta }, terms };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((12 + json.length) / 4) * 4;
  const out = new Uint8Array(dataStart + off * 4 + 4);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint32(4, PRIOR_ARTIFACT_VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  p.terms.forEach((t, i) => {
    const h = terms[i]!;
    t.mu.forEach((v, j) => dv.setFloat32(dataStart + (h.muOffset + j) * 4, v, true));
    t.weight.forEach((v, j) => dv.setFloat32(dataStart + (h.weightOffset + j) * 4, v, true));
  });
  dv.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
};

const corrupt = (src: string, what: string): never => {
  throw kapriError('CorruptFile', `prior artifact ${src}: ${what}`, { file: src });
};

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * Decodes and validates a prior artifact (checksum first: a changed byte anywhere is refused): the
 * prior, or what is wrong with the file as a left.
 *
 * @example
 * const prior = unwrap(decodePrior(readFileSync('student.prior'), 'student.prior'));
 */
export const decodePrior = (bytes: Uint8Array, source = '(bytes)'): E.Either<KapriError, Prior> =>
  catchKapri(() => readPrior(bytes, source));

const readPrior = (bytes: Uint8Array, source: string): Prior => {
  if (bytes.length < 16 || MAGIC.some((m, i) => bytes[i] !== m)) corrupt(source, 'not a kapri prior (bad magic)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== PRIOR_ARTIFACT_VERSION)
    corrupt(source, `version ${version} is not supported (this kapri reads ${PRIOR_ARTIFACT_VERSION})`);
  if (dv.getUint32(bytes.length - 4, true) !== crc32(bytes.subarray(0, bytes.length - 4)))
    corrupt(source, 'checksum mismatch (truncated or modified)');
  const n = dv.getUint32(8, true);
  if (12 + n > bytes.length - 4) corrupt(source, 'header length points past the end');
  let h: Header;
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n))) as Header;
  } catch {
    return corrupt(source, 'header is not valid JSON');
  }
  if (
    typeof h.family !== 'string' ||
    !['gaussian', 'laplace'].includes(h.form) ||
    typeof h.model !== 'string' ||
    !Array.isArray(h.terms)
  ) {
    corrupt(source, 'header lacks family, form, model or terms');
  }
  if (!priorRegistry.has(h.family))
    corrupt(source, `its family '${h.family}' is not a registered prior (${priorRegistry.names().join(', ')})`);
  const dataStart = Math.ceil((12 + n) / 4) * 4;
  const floats = (bytes.length - 4 - dataStart) / 4;
  const read = (offset: number, length: number): Float32Array => {
    const a = new Float32Array(length);
    for (let j = 0; j < length; j++) a[j] = dv.getFloat32(dataStart + (offset + j) * 4, true);
    return a;
  };
  const terms = h.terms.map((t) => {
    const size = Array.isArray(t.shape) && t.shape.every(isNum) ? t.shape.reduce((a, b) => a * b, 1) : -1;
    if (
      size < 0 ||
      typeof t.path !== 'string' ||
      !isNum(t.muOffset) ||
      !isNum(t.weightOffset) ||
      !(t.weightLength === 1 || t.weightLength === size)
    ) {
      corrupt(source, `term '${String(t.path)}' is malformed`);
    }
    if (t.muOffset + size > floats || t.weightOffset + t.weightLength > floats)
      corrupt(source, `term '${t.path}' points past the data`);
    return { path: t.path, shape: t.shape, mu: read(t.muOffset, size), weight: read(t.weightOffset, t.weightLength) };
  });
  return { family: h.family, form: h.form, model: h.model, meta: h.meta ?? {}, terms };
};
