/**
 * Bringing your own data: a JSON manifest naming the `.npy` file of each modality and label per split,
 *   { "task": "regression" | "classification", "classes"?: n,
 *     "source": { "train": { "weak": "rgb_train.npy", "superior": "depth_train.npy", "label": "kp_train.npy" }, "val": …, "test": … },
 *     "target": { "train": { "weak": "…", "label": "…" }, "val": …, "test": … } }
 * Paths are relative to the manifest and, unless `allowOutside` is set, must stay inside its folder
 * once every symlink is resolved: a manifest from someone else cannot make kapri read (or probe for)
 * files elsewhere. Arrays are [n, ...per-sample shape]; a modality has the same per-sample shape in
 * every split (the weak one on both sides), and so do labels. Every problem names the file (and, from
 * validation, the array and index). A target's split may name a superior modality too: it is not read
 * (the target is teacherless) and the loader says so in `notes`. Every file read is fingerprinted
 * (bytes and SHA-256) in `files`, so a report can say exactly which data it was computed from. A
 * target-only manifest (`loadTargetManifest`: no "source") feeds `kapri target`.
 *
 * Images: a split may instead be `{ "csv": "train.csv" }`, a table of PNG or JPEG files (its `weak`
 * and `superior` columns, names relative to the manifest) and labels (`label`, or `label_0 …` for a
 * regression), see csvSplit.ts; the images of a column are stacked as `[n, H, W, C]` in [0, 1]
 * (images.ts) and fingerprinted one by one.
 *
 * A teacher from any framework: a source split may give, instead of the superior modality, the
 * teacher's outputs per sample, `"teacherOutputs": "t_train.npy"` ([n, classes] logits, or [n, ...label
 * shape] predictions in label units), and optionally its features, `"teacherFeatures": "f_train.npy"`
 * ([n, d]), on all three source splits. The teacher is then not trained: its outputs stand for it, and
 * the loaded `superior` of each source split holds each sample's outputs followed by its features
 * (`givenTeacher` says how many of each). A superior modality named beside them is not read. Node only.
 */
import * as E from 'fp-ts/lib/Either.js';
import { kapriError, type KapriError } from '../core/errors.js';
import { fingerprint, type FileFingerprint } from '../core/sha256.js';
import { sampleSize as sampleSizeOf, type Labels, type Modality, type PairedSource, type Target } from './dataset.js';
import { parseCsvSplit } from './csvSplit.js';
import { readNpy, type NpyArray } from './npy.js';
import { validateSource, validateTarget } from './validate.js';

/** A loaded target-only manifest: the task and the target's three splits. */
export interface LoadedTarget {
  readonly task: 'regression' | 'classification';
  /** The number of classes of a classification. */
  readonly classes?: number;
  readonly target: { train: Target; val: Target; test: Target };
  /** Every file read, the manifest first: the name as the manifest gives it, its size and SHA-256. */
  readonly files: FileFingerprint[];
  /** What was named but not used (e.g. a superior modality on the target), as sentences. */
  readonly notes: string[];
}

/** A loaded manifest: the paired source and the target, validated. */
export interface LoadedData extends LoadedTarget {
  readonly source: { train: PairedSource; val: PairedSource; test: PairedSource };
  /**
   * Present when the manifest gives the teacher's outputs instead of a superior modality: each source
   * split's `superior` is then `outputs` values per sample followed by `features` (0 when none given).
   */
  readonly givenTeacher?: GivenTeacher;
}

/** The layout of a teacher given as outputs (and features) per sample. */
export interface GivenTeacher {
  /** Outputs per sample: logits, one per class, or predictions in label units (the label's size). */
  readonly outputs: number;
  /** Feature values per sample after the outputs (0: the outputs are the feature aligned to). */
  readonly features: number;
}

/** Options of {@link loadManifest}. */
export interface ManifestOptions {
  /** Follow names that lead outside the manifest's folder (`..`, absolute paths, symlinks). Default false. */
  readonly allowOutside?: boolean;
  /** Largest `.npy` file read, in bytes (default 2 GiB). */
  readonly maxFileBytes?: number;
  /** Largest manifest read, in bytes (default 1 MiB). */
  readonly maxManifestBytes?: number;
}

const DEFAULT_MAX_FILE = 2 ** 31;
const DEFAULT_MAX_MANIFEST = 2 ** 20;
/** More classes than this is a mistake in the manifest, not a task kapri trains. */
export const MAX_CLASSES = 100_000;
// Symlinks followed while resolving one name before it is taken as a loop (Linux's own limit).
const MAX_LINKS = 40;
const SPLITS = ['train', 'val', 'test'] as const;

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

// Imported once, when first needed: the module stays loadable in a browser, and a dynamic import per
// call costs a round trip through the module loader.
let nodeModules: Promise<{ fs: Fs; path: Path }> | null = null;
const node = () =>
  (nodeModules ??= Promise.all([
    import(/* @vite-ignore */ 'node:fs/promises' as string),
    import(/* @vite-ignore */ 'node:path' as string),
  ]).then(([fs, path]) => ({
    fs: fs as Fs,
    path: path as Path,
  })));

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const errCode = (e: unknown): string => (e as { code?: string }).code ?? (e as Error).message;

/** Outcome of resolving a name under a root: a real path inside it, outside it, or not there. */
type Resolved = { kind: 'inside'; real: string } | { kind: 'outside' } | { kind: 'missing'; code: string };

const within = (path: Path, root: string, p: string): boolean => {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
};

/**
 * Resolves `rel` against the real folder `root` one component at a time, following symlinks, and stops
 * as soon as the path leaves `root`, before touching anything outside: whether an outside path exists
 * never changes the answer.
 */
const resolveInside = async (fs: Fs, path: Path, root: string, rel: string): Promise<Resolved> => {
  if (path.isAbsolute(rel)) return { kind: 'outside' };
  const todo = rel.split(/[\\/]+/).reverse();
  let current = root;
  let links = 0;
  while (todo.length > 0) {
    const part = todo.pop()!;
    if (part === '' || part === '.') continue;
    const next = part === '..' ? path.dirname(current) : path.join(current, part);
    if (!within(path, root, next)) return { kind: 'outside' };
    if (part === '..') {
      current = next;
      continue;
    }
    let st: Awaited<ReturnType<Fs['lstat']>>;
    try {
      st = await fs.lstat(next);
    } catch (e) {
      return { kind: 'missing', code: errCode(e) };
    }
    if (!st.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) return { kind: 'missing', code: 'ELOOP' };
    const target = await fs.readlink(next);
    if (path.isAbsolute(target)) {
      if (!within(path, root, path.resolve(target))) return { kind: 'outside' };
      // restart from the root with the target's path below it
      current = root;
      todo.push(
        ...path
          .relative(root, path.resolve(target))
          .split(/[\\/]+/)
          .reverse(),
      );
    } else {
      todo.push(...target.split(/[\\/]+/).reverse());
    }
  }
  return { kind: 'inside', real: current };
};

/**
 * Opens a file that must be regular (a FIFO or device is refused without blocking), then reads at
 * most `cap` bytes of it through the same handle.
 */
const readRegularFile = async (
  fs: Fs,
  file: string,
  cap: number,
  what: string,
  noFollow: boolean,
): Promise<Uint8Array> => {
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await fs.open(
      file,
      fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (noFollow ? fs.constants.O_NOFOLLOW : 0),
    );
  } catch (e) {
    throw kapriError('Io', `${what}, which cannot be read (${errCode(e)})`, { file });
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw kapriError('Io', `${what}, which is not a regular file`, { file });
    if (st.size > cap)
      throw kapriError('Io', `${what}, which is ${st.size} bytes; the limit is ${cap} (raise it with maxFileBytes)`, {
        file,
      });
    // exactly the size seen (at most the cap): a file that grows later is read no further, and one
    // that shrinks comes out short and fails to decode
    const buf = new Uint8Array(st.size);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
};

/** An array and the file it came from (for a CSV split: the CSV and the column). */
interface Loaded {
  readonly a: NpyArray;
  readonly file: string;
}
const isLoaded = (x: unknown): x is Loaded => isObj(x) && isObj(x['a']) && typeof x['file'] === 'string';

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Loads a manifest and every array it names, validated. Names are confined to the manifest's folder
 * unless `options.allowOutside`; files must be regular and at most `options.maxFileBytes`.
 *
 * @example
 * const d = await loadManifest('data/manifest.json');
 * d.source.train.weak.shape; // e.g. [32, 32, 3]
 */
export const loadManifest = async (manifestPath: string, options: ManifestOptions = {}): Promise<LoadedData> =>
  (await readManifest(manifestPath, options, true)) as LoadedData;

/**
 * Loads a target-only manifest (`task`, `classes`, `target`; a `source` is not read): the data of a
 * teacherless target for `kapri target`.
 *
 * @example
 * const t = await loadTargetManifest('new-site/target.json');
 */
export const loadTargetManifest = (manifestPath: string, options: ManifestOptions = {}): Promise<LoadedTarget> =>
  readManifest(manifestPath, options, false);

const readManifest = async (
  manifestPath: string,
  options: ManifestOptions,
  withSource: boolean,
): Promise<LoadedTarget | LoadedData> => {
  const { fs, path } = await node();
  const maxFile = options.maxFileBytes ?? DEFAULT_MAX_FILE;
  const where0 = `manifest ${manifestPath}`;
  const bad = (what: string): never => {
    throw kapriError('InvalidConfig', `${where0}: ${what}`, { file: manifestPath });
  };
  let m: unknown;
  const manifestBytes = await readRegularFile(
    fs,
    manifestPath,
    options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST,
    `the manifest ${manifestPath}`,
    false,
  );
  const text = new TextDecoder().decode(manifestBytes);
  // Fingerprints in the order the files are first read (the manifest first): the same manifest
  // always lists the same files in the same order.
  const files: Promise<FileFingerprint>[] = [fingerprint(manifestPath, manifestBytes)];
  const notes: string[] = [];
  try {
    m = JSON.parse(text);
  } catch (e) {
    return bad((e as Error).message);
  }
  if (
    !isObj(m) ||
    (m['task'] !== 'regression' && m['task'] !== 'classification') ||
    (withSource && !isObj(m['source'])) ||
    !isObj(m['target'])
  ) {
    return bad(`needs "task" (regression | classification), ${withSource ? '"source" and ' : ''}"target"`);
  }
  const task = m['task'] as LoadedData['task'];
  const classes = m['classes'];
  if (classes !== undefined && task === 'regression')
    bad(`"classes" is given (${JSON.stringify(classes)}) but "task" is regression; a regression has no classes`);
  if (classes !== undefined || task === 'classification') {
    if (typeof classes !== 'number' || !Number.isInteger(classes) || classes < 2 || classes > MAX_CLASSES) {
      bad(
        `"classes" must be an integer in [2, ${MAX_CLASSES}]${task === 'classification' ? ' (a classification needs it)' : ''}, got ${JSON.stringify(classes) ?? 'nothing'}`,
      );
    }
  }
  const dir = path.dirname(path.resolve(manifestPath));
  let root: string;
  try {
    root = await fs.realpath(dir);
  } catch (e) {
    throw kapriError('Io', `${where0}: its folder cannot be resolved (${errCode(e)})`, { file: manifestPath });
  }

  // A file named by several splits is resolved and read once.
  const resolved = new Map<string, Promise<Resolved>>();
  const caches = new Map<string, Map<string, Promise<unknown>>>();
  /** Reads the file `rel` names (confined to the manifest's folder) once, fingerprints it and decodes it. */
  const readAs = async <T>(
    rel: unknown,
    where: string,
    what: string,
    decode: (bytes: Uint8Array, file: string) => T,
  ): Promise<{ value: T; file: string }> => {
    if (typeof rel !== 'string' || rel.length === 0 || rel.includes('\0')) bad(`${where} must name ${what}`);
    const name = rel as string;
    const said = `${where0}: ${where} names ${JSON.stringify(name)}`;
    let file = path.resolve(dir, name);
    if (!options.allowOutside) {
      let resolving = resolved.get(name);
      if (!resolving) {
        resolving = resolveInside(fs, path, root, name);
        resolved.set(name, resolving);
      }
      const r = await resolving;
      if (r.kind === 'outside') {
        throw kapriError(
          'InvalidConfig',
          `${said}, which is outside the manifest's folder ${root}; names must stay inside it (loadManifest's allowOutside option lifts this)`,
          { file: manifestPath },
        );
      }
      if (r.kind === 'missing') throw kapriError('Io', `${said}, which cannot be read (${r.code})`, { file });
      file = r.real;
    }
    const cache = caches.get(what) ?? new Map<string, Promise<unknown>>();
    caches.set(what, cache);
    let decoded = cache.get(file) as Promise<T> | undefined;
    if (!decoded) {
      const f = file;
      decoded = readRegularFile(fs, f, maxFile, said, !options.allowOutside).then((bytes) => {
        files.push(fingerprint(name, bytes));
        return decode(bytes, f);
      });
      cache.set(file, decoded);
    }
    return { value: await decoded, file };
  };
  const read = async (rel: unknown, where: string): Promise<Loaded> => {
    const { value: a, file } = await readAs(rel, where, 'a .npy file', (bytes, f) => readNpy(bytes, f));
    if (a.shape.length < 1) throw kapriError('InvalidShape', `${file}: expected [n, ...], got a scalar`, { file });
    return { a, file };
  };
  /** An array named in the manifest, or one already assembled (from a CSV split's images and labels). */
  const load = (rel: unknown, where: string): Promise<Loaded> =>
    isLoaded(rel) ? Promise.resolve(rel) : read(rel, where);

  /** A CSV split (csvSplit.ts): its image columns stacked as arrays, and its labels. */
  const csvArrays = async (
    rel: unknown,
    where: string,
    readSuperior: boolean,
  ): Promise<{ weak: Loaded; superior?: Loaded | string; label?: Loaded }> => {
    const { value: split, file } = await readAs(rel, `${where}.csv`, 'a CSV file', (b, f) =>
      parseCsvSplit(new TextDecoder().decode(b), f),
    );
    const { decodeImage } = await import('./images.js');
    const n = split.rows.length;
    const images = async (column: 'weak' | 'superior'): Promise<Loaded> => {
      let first: { shape: readonly number[]; name: string } | null = null;
      let data = new Float64Array(0);
      for (let i = 0; i < n; i++) {
        const name = split.rows[i]![column]!;
        const img = await readAs(name, `${file} line ${i + 2} (${column})`, 'a PNG or JPEG image', decodeImage);
        if (!first) {
          first = { shape: img.value.shape, name };
          data = new Float64Array(n * img.value.data.length);
        } else if (!sameShape(first.shape, img.value.shape))
          throw kapriError(
            'InvalidShape',
            `${file} line ${i + 2}: ${name} is [${img.value.shape.join(', ')}] (H, W, C), but ${first.name} is [${first.shape.join(', ')}]; every ${column} image must have the same size and channels`,
            { file: img.file, index: i },
          );
        data.set(img.value.data, i * img.value.data.length);
      }
      return { a: { shape: [n, ...first!.shape], dtype: 'f4', data }, file: `${file} (${column})` };
    };
    const label: Loaded | null =
      split.labelSize > 0
        ? {
            a: {
              shape: task === 'classification' && split.labelSize === 1 ? [n] : [n, split.labelSize],
              dtype: 'f8',
              data: Float64Array.from(split.rows.flatMap((r) => r.label!)),
            },
            file,
          }
        : null;
    return {
      weak: await images('weak'),
      // A target's superior column is named, not read (the target is teacherless).
      ...(split.hasSuperior ? { superior: readSuperior ? await images('superior') : 'the CSV column' } : {}),
      ...(label ? { label } : {}),
    };
  };

  // Per-sample shapes seen so far, per modality: every split must agree with the first.
  const shapes = new Map<string, { shape: readonly number[]; where: string }>();
  const agree = (kind: string, shape: readonly number[], where: string, file: string) => {
    const first = shapes.get(kind);
    if (!first) shapes.set(kind, { shape, where });
    else if (!sameShape(first.shape, shape)) {
      throw kapriError(
        'InvalidShape',
        `${where} (${file}) has samples of shape [${shape.join(', ')}], but ${first.where} has [${first.shape.join(', ')}]; every split must match`,
        { file },
      );
    }
  };

  const modality = async (rel: unknown, where: string, kind: string): Promise<{ m: Modality; n: number }> => {
    const { a, file } = await load(rel, where);
    agree(kind, a.shape.slice(1), where, file);
    return { m: { data: Float32Array.from(a.data), shape: a.shape.slice(1) }, n: a.shape[0]! };
  };

  const labels = async (rel: unknown, split: string): Promise<Labels> => {
    const where = `${split}.label`;
    const { a, file } = await load(rel, where);
    if (task === 'regression') {
      const shape = a.shape.slice(1).length ? a.shape.slice(1) : [1];
      agree('label', shape, where, file);
      return { kind: 'regression', data: Float32Array.from(a.data), shape };
    }
    if (a.shape.length > 2 || (a.shape.length === 2 && a.shape[1] !== 1)) {
      throw kapriError('InvalidShape', `${file}: class labels must be [n] or [n, 1], got [${a.shape.join(', ')}]`, {
        file,
      });
    }
    const c = classes as number;
    // checked as the stored numbers, before Int32Array would wrap 2^32 + 1 to class 1
    for (let i = 0; i < a.data.length; i++) {
      const v = a.data[i]!;
      if (!Number.isInteger(v))
        throw kapriError(
          'InvalidData',
          `${split}: label ${i} is ${v}; class labels must be integers in [0, ${c - 1}]`,
          { file, array: 'label', index: i },
        );
      if (v < 0 || v >= c)
        throw kapriError('InvalidData', `${split}: label ${i} is class ${v}, outside [0, ${c - 1}]`, {
          file,
          array: 'label',
          index: i,
        });
    }
    return { kind: 'classes', data: Int32Array.from(a.data), classes: c };
  };

  // A split the validator refuses: the message says which manifest, as every other problem does.
  const valid = <A>(r: E.Either<KapriError, A>): A => {
    if (E.isRight(r)) return r.right;
    throw kapriError(r.left.tag, `${where0}: ${r.left.message}`, { ...r.left.details, file: manifestPath });
  };
  const split = (side: 'source' | 'target', name: string): Record<string, unknown> => {
    const s = (m as Record<string, Record<string, unknown>>)[side]![name];
    if (!isObj(s)) bad(`${side}.${name} is missing`);
    return s as Record<string, unknown>;
  };
  // A split given as a CSV of images: its columns stand where the .npy names would.
  const arraysOf = async (side: 'source' | 'target', name: string): Promise<Record<string, unknown>> => {
    const s = split(side, name);
    if (s['csv'] === undefined) return s;
    const others = Object.keys(s).filter((k) => k !== 'csv' && k !== 'teacherOutputs' && k !== 'teacherFeatures');
    if (others.length > 0)
      bad(
        `${side}.${name} gives "csv" and ${others.map((k) => `"${k}"`).join(', ')}; a CSV split names its images and labels in the CSV`,
      );
    return { ...s, ...(await csvArrays(s['csv'], `${side}.${name}`, side === 'source')) };
  };
  // Whether the source gives the teacher's outputs, judged on its train split: every split must agree.
  const teacherGiven = (name: string, field: 'teacherOutputs' | 'teacherFeatures'): boolean => {
    const given = split('source', 'train')[field] !== undefined;
    if (given !== (split('source', name)[field] !== undefined))
      bad(
        `source.${name}.${field} is ${given ? 'missing' : 'given'} but source.train.${field} is ${given ? 'given' : 'not'}; give it on all three source splits or none`,
      );
    return given;
  };
  const teacherRows = async (rel: unknown, where: string, n: number): Promise<Modality> => {
    const { a, file } = await read(rel, where);
    if (a.shape[0] !== n)
      throw kapriError(
        'InvalidShape',
        `${where0}: ${where} (${file}) has ${a.shape[0]} rows, but the split has ${n} samples; the teacher's outputs must be one row per source sample, in the same order`,
        { file, field: where },
      );
    return { data: Float32Array.from(a.data), shape: [sampleSizeOf(a.shape.slice(1))] };
  };
  let given: GivenTeacher | undefined;
  const superiorOf = async (s: Record<string, unknown>, name: string, n: number): Promise<Modality> => {
    if (!teacherGiven(name, 'teacherOutputs')) {
      if (teacherGiven(name, 'teacherFeatures')) bad('source.train.teacherFeatures is given without teacherOutputs');
      return (await modality(s['superior'], `source.${name}.superior`, 'superior')).m;
    }
    if (s['superior'] !== undefined)
      notes.push(`source.${name}.superior is not read: the teacher's outputs (teacherOutputs) stand for the teacher`);
    const out = await teacherRows(s['teacherOutputs'], `source.${name}.teacherOutputs`, n);
    agree('teacherOutputs', out.shape, `source.${name}.teacherOutputs`, String(s['teacherOutputs']));
    const want = task === 'classification' ? (classes as number) : null;
    if (want !== null && out.shape[0] !== want)
      throw kapriError(
        'InvalidShape',
        `${where0}: source.${name}.teacherOutputs gives ${out.shape[0]} values per sample, but the task has ${want} classes; give the teacher's logits, one per class`,
        { file: manifestPath, field: `source.${name}.teacherOutputs` },
      );
    const feat = teacherGiven(name, 'teacherFeatures')
      ? await teacherRows(s['teacherFeatures'], `source.${name}.teacherFeatures`, n)
      : null;
    if (feat) agree('teacherFeatures', feat.shape, `source.${name}.teacherFeatures`, String(s['teacherFeatures']));
    const k = out.shape[0]!;
    const d = feat ? feat.shape[0]! : 0;
    given = { outputs: k, features: d };
    const rows = new Float32Array(n * (k + d));
    for (let i = 0; i < n; i++) {
      rows.set(out.data.subarray(i * k, (i + 1) * k), i * (k + d));
      if (feat) rows.set(feat.data.subarray(i * d, (i + 1) * d), i * (k + d) + k);
    }
    return { data: rows, shape: [k + d] };
  };
  const source = async (name: string): Promise<PairedSource> => {
    const s = await arraysOf('source', name);
    const w = await modality(s['weak'], `source.${name}.weak`, 'weak');
    const superior = await superiorOf(s, name, w.n);
    const label = s['label'] !== undefined ? { label: await labels(s['label'], `source.${name}`) } : {};
    if (given && label.label?.kind === 'regression' && sampleSizeOf(label.label.shape) !== given.outputs)
      throw kapriError(
        'InvalidShape',
        `${where0}: source.${name}.teacherOutputs gives ${given.outputs} values per sample, but the labels have ${sampleSizeOf(label.label.shape)}; give the teacher's predictions in the labels' shape`,
        { file: manifestPath, field: `source.${name}.teacherOutputs` },
      );
    const d: PairedSource = { n: w.n, weak: w.m, superior, ...label };
    return valid(validateSource(d, `source.${name}`));
  };
  const target = async (name: string): Promise<Target> => {
    const s = await arraysOf('target', name);
    const w = await modality(s['weak'], `target.${name}.weak`, 'weak');
    if (s['superior'] !== undefined)
      notes.push(`target.${name}.superior is not read: the target is teacherless (its weak modality only)`);
    const d: Target = {
      n: w.n,
      weak: w.m,
      ...(s['label'] !== undefined ? { label: await labels(s['label'], `target.${name}`) } : {}),
    };
    return valid(validateTarget(d, `target.${name}`));
  };
  const src = withSource
    ? { source: { train: await source(SPLITS[0]), val: await source(SPLITS[1]), test: await source(SPLITS[2]) } }
    : {};
  const [ttrain, tval, ttest] = [await target(SPLITS[0]), await target(SPLITS[1]), await target(SPLITS[2])];
  return {
    task,
    ...(classes !== undefined ? { classes: classes as number } : {}),
    ...src,
    ...(given ? { givenTeacher: given } : {}),
    target: { train: ttrain, val: tval, test: ttest },
    files: await Promise.all(files),
    notes,
  };
};
