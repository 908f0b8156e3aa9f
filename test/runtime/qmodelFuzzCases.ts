/**
 * Seeded QModel mutations with every checksum fixed up, so that what they reach is the semantic
 * validation, not the CRCs: header JSON values (scales, zero points, shapes, dtypes, op fields,
 * section indices and the section table), structural edits (array elements and object keys), and
 * section values (special float32 scales, extreme int32 biases, weights). Each case is classified:
 * a typed refusal at decode, or a model that runs on both engines to bit-equal finite outputs from
 * finite inputs; every other class is a defect. Used by test/runtime/qmodelFuzz.test.ts and, for
 * larger runs, scripts/fuzz-qmodel.ts.
 */
import * as E from 'fp-ts/lib/Either.js';
import { crc32 } from '../../src/core/crc32.js';
import { KapriError } from '../../src/core/errors.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import type { KernelModule } from '../../src/kernels/loader.js';
import { createExecutor } from '../../src/runtime/executor.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import type { ModelLimits } from '../../src/runtime/qmodelLimits.js';
import { branchyModelBytes, smallModelBytes } from './qmodelFixture.js';

/** The outcome of one case; only the first two are allowed. */
export type FuzzClass =
  | 'refused' // a KapriError at decode
  | 'ran' // decoded, ran on both engines, bit-equal finite outputs
  | 'maskedInternal' // decode caught a non-KapriError (an unexpected exception inside validation)
  | 'untypedError' // something threw an error that is not a KapriError
  | 'refusedAfterDecode' // decoded, then an engine refused to plan it
  | 'runThrew' // decoded and planned, then a run threw
  | 'disagree' // the engines gave different bits
  | 'nonFinite' // an output was NaN or ±Inf from a finite input
  | 'leak'; // the kernel executor left arena regions behind after dispose

export const FUZZ_CLASSES: readonly FuzzClass[] = [
  'refused',
  'ran',
  'maskedInternal',
  'untypedError',
  'refusedAfterDecode',
  'runThrew',
  'disagree',
  'nonFinite',
  'leak',
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(xs.length)]!;
const name = (r: Rng, names: readonly string[]): string => (names.length ? pick(r, names) : 'x');
const alignUp = (n: number): number => Math.ceil(n / 64) * 64;
// The rebuilt header gets this much room beyond the original, so that longer values still fit.
const HEADER_SLACK = 1024;
const SECTION_BYTES: Record<string, number> = { i8: 1, u8: 1, i32: 4, f32: 4 };

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  2,
  3,
  4,
  5,
  7,
  8,
  9,
  16,
  127,
  128,
  -128,
  -129,
  255,
  256,
  4095,
  4096,
  4097,
  65793,
  65794,
  2 ** 20,
  2 ** 20 + 1,
  2 ** 28,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  1e-45,
  1e-40,
  1.1754942e-38,
  1.1754944e-38,
  1e-30,
  1e-10,
  1e-3,
  0.5,
  1.5,
  1e10,
  1e30,
  1e36,
  3.4028234e38,
  3.4028236e38,
  3.5e38,
  1e308,
  -1e-3,
  -0.05,
];
const OPS = [
  'quantize',
  'dequantize',
  'conv2d',
  'depthwise3x3',
  'dense',
  'maxPool',
  'avgPool',
  'globalAvgPool',
  'add',
  'bogus',
];
const WORDS = [
  'f32',
  'i8',
  'u8',
  'i32',
  'f64',
  'same',
  'valid',
  'full',
  'none',
  'relu',
  'relu6',
  'tanh',
  '',
  'toString',
  '__proto__',
  'constructor',
  'x'.repeat(300),
];
const FLOATS = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1e-40,
  1e-39,
  1.1754944e-38,
  3.4028234e38,
  1e38,
  1e30,
  1e-30,
  -0.01,
  1e-3,
  0.5,
  7,
];
const INTS = [2 ** 31 - 1, -(2 ** 31), 2 ** 30, -(2 ** 30), 1e9, -1e9, 2.1e9, 1e6, 0, 1];

/** A mutated number: a special value or a step away from the current one. */
const number = (r: Rng, v: number): Json => {
  switch (r.int(4)) {
    case 0:
      return pick(r, [v + 1, v - 1, v * 2, v / 2, -v, v * 1e30, v / 1e30, Math.fround(v * 1.0000001)]);
    case 1:
      return r.int(100_000) - 50_000;
    default:
      return pick(r, NUMBERS);
  }
};

/** A value of any JSON type, for replacing a leaf or adding a key. */
const anyValue = (r: Rng, names: readonly string[]): Json => {
  switch (r.int(8)) {
    case 0:
      return pick(r, NUMBERS);
    case 1:
      return name(r, names);
    case 2:
      return pick(r, OPS);
    case 3:
      return pick(r, WORDS);
    case 4:
      return [pick(r, NUMBERS), pick(r, NUMBERS)];
    case 5:
      return { scale: pick(r, NUMBERS), zeroPoint: pick(r, NUMBERS) };
    case 6:
      return pick(r, [null, true, false]);
    default:
      return [];
  }
};

interface Slot {
  readonly parent: Obj | Json[];
  readonly key: string | number;
}

/** Every place in the header holding a value (leaves, arrays and objects alike). */
const slots = (root: Json): Slot[] => {
  const out: Slot[] = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push({ parent: v, key: i });
        walk(c);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push({ parent: v, key: k });
        walk(v[k]!);
      }
    }
  };
  walk(root);
  return out;
};

const get = (s: Slot): Json => (s.parent as Record<string | number, Json>)[s.key]!;
const set = (s: Slot, v: Json): void => {
  (s.parent as Record<string | number, Json>)[s.key] = v;
};

/** One header mutation: a leaf value, an array or object edit, or a quantization value. */
const mutateHeader = (r: Rng, h: Obj): void => {
  const names = ((h['tensors'] as Obj[] | undefined) ?? []).map((t) => String(t?.['name']));
  const all = slots(h);
  if (all.length === 0) return;
  const kind = r.int(10);
  if (kind < 5) {
    const leaves = all.filter((s) => typeof get(s) !== 'object' || get(s) === null);
    const s = pick(r, leaves.length ? leaves : all);
    const v = get(s);
    if (typeof v === 'number' && r.int(4) !== 0) set(s, number(r, v));
    else if (typeof v === 'string' && r.int(3) !== 0) set(s, pick(r, [...names, ...OPS, ...WORDS]));
    else set(s, anyValue(r, names));
  } else if (kind < 7) {
    // the values the issue names: tensor scales and zero points
    const quants = all.filter((s) => s.key === 'scale' || s.key === 'zeroPoint');
    if (quants.length === 0) return;
    const s = pick(r, quants);
    set(
      s,
      s.key === 'scale'
        ? pick(
            r,
            NUMBERS.filter((n) => n !== 0 || r.int(2) === 0),
          )
        : pick(r, [-129, -128, -1, 0, 1, 127, 128, 0.5, 300]),
    );
  } else if (kind < 9) {
    const arrays = all.map(get).filter((v): v is Json[] => Array.isArray(v));
    if (Array.isArray(h['ops'])) arrays.push(h['ops'] as Json[], h['ops'] as Json[]);
    if (arrays.length === 0) return;
    const a = pick(r, arrays);
    const i = r.int(Math.max(a.length, 1));
    switch (r.int(5)) {
      case 0:
        a.splice(i, 1);
        break;
      case 1:
        if (a.length) a.splice(i, 0, JSON.parse(JSON.stringify(a[i] ?? null)) as Json);
        break;
      case 2: {
        const j = r.int(Math.max(a.length, 1));
        [a[i], a[j]] = [a[j] ?? null, a[i] ?? null];
        break;
      }
      case 3:
        a.push(anyValue(r, names));
        break;
      default:
        a.length = 0;
    }
  } else {
    const objects = all.map(get).filter((v): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v));
    if (objects.length === 0) return;
    const o = pick(r, objects);
    const keys = Object.keys(o);
    if (keys.length && r.int(2) === 0) delete o[pick(r, keys)];
    else
      o[pick(r, ['bits', 'quant', 'kernel', 'stride', 'padding', 'size', 'weights', 'activation', 'extra', 'scale'])] =
        anyValue(r, names);
  }
};

/** One section mutation in the payload: a special value where the original table put a section, or a raw byte. */
const mutatePayload = (r: Rng, table: readonly Obj[], file: Uint8Array): void => {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const s = table.length ? pick(r, table) : null;
  if (!s || r.int(8) === 0) {
    file[r.int(file.length)] = r.int(256);
    return;
  }
  const offset = s['offset'] as number;
  const length = s['length'] as number;
  if (length === 0) return;
  const at = r.int(length);
  switch (s['dtype']) {
    case 'f32':
      if (r.int(4) === 0) for (let i = 0; i < length; i++) dv.setFloat32(offset + 4 * i, pick(r, FLOATS), true);
      else dv.setFloat32(offset + 4 * at, pick(r, FLOATS), true);
      break;
    case 'i32':
      dv.setInt32(offset + 4 * at, pick(r, INTS), true);
      break;
    default:
      // weights: saturate the section (the accumulator bound) or change one byte
      if (r.int(3) === 0) file.fill(pick(r, [0x7f, 0x80, 0x88, 0x77]), offset, offset + length);
      else file[offset + at] = r.int(256);
  }
};

/** Rebuilds a file from a header object and the bytes after its header, recomputing every checksum. */
const assemble = (h: Obj, payload: Uint8Array, oldStart: number, reserve: number): Uint8Array | null => {
  const start = alignUp(16 + reserve);
  const delta = start - oldStart;
  const table = Array.isArray(h['sections']) ? (h['sections'] as Json[]) : [];
  for (const s of table)
    if (s && typeof s === 'object' && !Array.isArray(s) && typeof s['offset'] === 'number') s['offset'] += delta;
  const json = new TextEncoder().encode(JSON.stringify(h));
  if (json.length > reserve) return null;
  const file = new Uint8Array(start + payload.length);
  file.set([0x4b, 0x51, 0x4d, 0x44], 0);
  const dv = new DataView(file.buffer);
  dv.setUint32(4, 1, true);
  dv.setUint32(8, reserve, true);
  file.fill(0x20, 16, 16 + reserve);
  file.set(json, 16);
  file.set(payload, start);
  for (const s of table) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) continue;
    const { offset, length, dtype } = s as Record<string, unknown>;
    const width = typeof dtype === 'string' && Object.hasOwn(SECTION_BYTES, dtype) ? SECTION_BYTES[dtype]! : 0;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || width === 0) continue;
    const end = (offset as number) + (length as number) * width;
    if ((offset as number) >= 0 && end <= file.length && end >= (offset as number))
      s['crc32'] = crc32(file.subarray(offset as number, end));
  }
  // the table's checksums changed: write the header again (same reserve) before checksumming it
  const final = new TextEncoder().encode(JSON.stringify(h));
  if (final.length > reserve) return null;
  file.fill(0x20, 16, 16 + reserve);
  file.set(final, 16);
  dv.setUint32(12, crc32(file.subarray(16, 16 + reserve)), true);
  return file;
};

/** A base model taken apart: its header object, the bytes after the header, and where they start. */
interface Base {
  readonly header: Obj;
  readonly payload: Uint8Array;
  readonly start: number;
  readonly reserve: number;
}

const takeApart = (bytes: Uint8Array): Base => {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + n))) as Obj;
  const start = alignUp(16 + n);
  return { header, payload: bytes.slice(start), start, reserve: n + HEADER_SLACK };
};

/** The mutated file of case `index` of a seeded run (null when the mutated header would not fit). */
export const fuzzCase = (bases: readonly Base[], seed: number, index: number): Uint8Array | null => {
  const r = createRng(seed).fork(index);
  const base = pick(r, bases);
  const h = JSON.parse(JSON.stringify(base.header)) as Obj;
  const payload = base.payload.slice();
  const what = r.int(20);
  const headerEdits = what < 12 ? 1 + r.int(3) : what < 16 ? 0 : 1;
  const payloadEdits = what < 12 ? 0 : 1 + r.int(3);
  for (let i = 0; i < headerEdits; i++) mutateHeader(r, h);
  // payload offsets are relative to the payload start
  const table = ((base.header['sections'] as Obj[]) ?? []).map((s) => ({
    ...s,
    offset: (s['offset'] as number) - base.start,
  }));
  for (let i = 0; i < payloadEdits; i++) mutatePayload(r, table, payload);
  return assemble(h, payload, base.start, base.reserve);
};

/** The base models the mutations start from. */
export const fuzzBases = (): Base[] =>
  [smallModelBytes(1), smallModelBytes(7), branchyModelBytes(1), branchyModelBytes(4)].map(takeApart);

const bitsEqual = (a: Float32Array, b: Float32Array): boolean => {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.every((v, i) => v === ub[i]);
};

/** Two finite samples: a smooth one in [−2, 2] and one of extremes (huge, tiny, zero, large). */
const fuzzInput = (n: number): Float32Array => {
  const extremes = [0, 1e-3, -5, 3e38, -3e38, 1e-38, 100, -100, 1e-45, 65504];
  return Float32Array.from({ length: 2 * n }, (_, i) =>
    i < n ? 2 * Math.sin(i * 0.37 + 1) : extremes[i % extremes.length]!,
  );
};

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Classifies one file (see {@link FuzzClass}); `detail` says what happened for the defect classes. */
export const classifyModel = (
  bytes: Uint8Array,
  k: KernelModule,
  limits: Partial<ModelLimits>,
): { cls: FuzzClass; detail?: string } => {
  let decoded: ReturnType<typeof decodeQModel>;
  try {
    decoded = decodeQModel(bytes, 'fuzz', limits);
  } catch (e) {
    return { cls: 'untypedError', detail: `decode threw ${describe(e)}` };
  }
  if (E.isLeft(decoded)) {
    if (!(decoded.left instanceof KapriError)) return { cls: 'untypedError', detail: describe(decoded.left) };
    if (/could not be validated/.test(decoded.left.message))
      return { cls: 'maskedInternal', detail: decoded.left.message };
    return { cls: 'refused' };
  }
  const model = decoded.right;
  const live = k.arena.liveCount;
  let kernelExe: ReturnType<typeof createKernelExecutor>;
  let refExe: ReturnType<typeof createExecutor>;
  try {
    refExe = createExecutor(model);
    kernelExe = createKernelExecutor(model, k);
  } catch (e) {
    return { cls: e instanceof KapriError ? 'refusedAfterDecode' : 'untypedError', detail: `planning: ${describe(e)}` };
  }
  try {
    const x = fuzzInput(refExe.inputShape.reduce((a, b) => a * b, 1));
    let want: Record<string, Float32Array>;
    let got: Record<string, Float32Array>;
    try {
      want = refExe.run(x, 2);
      got = kernelExe.run(x, 2);
    } catch (e) {
      return { cls: e instanceof KapriError ? 'runThrew' : 'untypedError', detail: `run: ${describe(e)}` };
    }
    for (const name of model.header.outputs) {
      if (!bitsEqual(want[name]!, got[name]!))
        return {
          cls: 'disagree',
          detail: `output '${name}': reference ${Array.from(want[name]!.slice(0, 6))} kernels ${Array.from(got[name]!.slice(0, 6))}`,
        };
      if (!want[name]!.every(Number.isFinite))
        return { cls: 'nonFinite', detail: `output '${name}': ${Array.from(want[name]!.slice(0, 6))}` };
    }
  } finally {
    kernelExe.dispose();
  }
  if (k.arena.liveCount !== live) return { cls: 'leak', detail: `${k.arena.liveCount - live} regions left` };
  return { cls: 'ran' };
};

/** Counts of a seeded run over `cases` cases, with the first example of each defect class. */
export interface FuzzReport {
  readonly counts: Record<FuzzClass, number>;
  readonly skipped: number;
  readonly examples: Partial<Record<FuzzClass, { index: number; detail: string }>>;
}

/** Runs cases `[from, from + cases)` of seed `seed` and classifies each. */
export const runQModelFuzz = (
  k: KernelModule,
  seed: number,
  cases: number,
  limits: Partial<ModelLimits>,
  from = 0,
): FuzzReport => {
  const bases = fuzzBases();
  const counts = Object.fromEntries(FUZZ_CLASSES.map((c) => [c, 0])) as Record<FuzzClass, number>;
  const examples: FuzzReport['examples'] = {};
  let skipped = 0;
  for (let i = from; i < from + cases; i++) {
    const bytes = fuzzCase(bases, seed, i);
    if (!bytes) {
      skipped++;
      continue;
    }
    const { cls, detail } = classifyModel(bytes, k, limits);
    counts[cls]++;
    if (cls !== 'refused' && cls !== 'ran' && !examples[cls]) examples[cls] = { index: i, detail: detail ?? '' };
  }
  return { counts, skipped, examples };
};
