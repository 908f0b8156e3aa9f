/**
 * Bringing your own data: a JSON manifest naming the `.npy` file of each modality and label per split,
 *   { "task": "regression" | "classification", "classes"?: n,
 *     "source": { "train": { "weak": "rgb_train.npy", "superior": "depth_train.npy", "label": "kp_train.npy" }, "val": …, "test": … },
 *     "target": { "train": { "weak": "…", "label": "…" }, "val": …, "test": … } }
 * Paths are relative to the manifest. Arrays are [n, ...per-sample shape]. Every problem names the file
 * (and, from validation, the array and index). Node only.
 */
import { kapriError, unwrap } from '../core/errors.js';
import type { Labels, Modality, PairedSource, Target } from './dataset.js';
import { decodeNpy } from './npy.js';
import { validateSource, validateTarget } from './validate.js';

export interface LoadedData {
  readonly task: 'regression' | 'classification';
  readonly source: { train: PairedSource; val: PairedSource; test: PairedSource };
  readonly target: { train: Target; val: Target; test: Target };
}

const node = async () => {
  const fs = (await import(/* @vite-ignore */ 'node:fs/promises' as string)) as typeof import('node:fs/promises');
  const path = (await import(/* @vite-ignore */ 'node:path' as string)) as typeof import('node:path');
  return { fs, path };
};

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Loads a manifest and every array it names, validated. */
export const loadManifest = async (manifestPath: string): Promise<LoadedData> => {
  const { fs, path } = await node();
  let m: unknown;
  try {
    m = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
  } catch (e) {
    throw kapriError((e as { code?: string }).code ? 'Io' : 'InvalidConfig', `manifest ${manifestPath}: ${(e as Error).message}`, { file: manifestPath });
  }
  if (!isObj(m) || (m['task'] !== 'regression' && m['task'] !== 'classification') || !isObj(m['source']) || !isObj(m['target'])) {
    throw kapriError('InvalidConfig', `manifest ${manifestPath}: needs "task" (regression | classification), "source" and "target"`, { file: manifestPath });
  }
  const task = m['task'] as LoadedData['task'];
  const classes = m['classes'];
  if (task === 'classification' && (!Number.isInteger(classes) || (classes as number) < 2)) {
    throw kapriError('InvalidConfig', `manifest ${manifestPath}: a classification needs "classes" ≥ 2`, { file: manifestPath });
  }
  const dir = path.dirname(manifestPath);
  const read = async (rel: unknown, where: string) => {
    if (typeof rel !== 'string') throw kapriError('InvalidConfig', `manifest ${manifestPath}: ${where} must name a .npy file`, { file: manifestPath });
    const file = path.resolve(dir, rel);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(file));
    } catch (e) {
      throw kapriError('Io', `manifest ${manifestPath}: ${where} names ${file}, which cannot be read (${(e as { code?: string }).code ?? (e as Error).message})`, { file });
    }
    const a = decodeNpy(bytes, file);
    if (a.shape.length < 1) throw kapriError('InvalidShape', `${file}: expected [n, ...], got a scalar`, { file });
    return { a, file };
  };
  const modality = async (rel: unknown, where: string): Promise<{ m: Modality; n: number }> => {
    const { a } = await read(rel, where);
    return { m: { data: Float32Array.from(a.data), shape: a.shape.slice(1) }, n: a.shape[0]! };
  };
  const labels = async (rel: unknown, where: string): Promise<Labels> => {
    const { a, file } = await read(rel, where);
    if (task === 'regression') return { kind: 'regression', data: Float32Array.from(a.data), shape: a.shape.slice(1).length ? a.shape.slice(1) : [1] };
    if (!a.data.every(Number.isInteger)) throw kapriError('InvalidData', `${file}: class labels must be integers`, { file });
    return { kind: 'classes', data: Int32Array.from(a.data), classes: classes as number };
  };
  const split = (side: 'source' | 'target', name: string): Record<string, unknown> => {
    const s = (m as Record<string, Record<string, unknown>>)[side]![name];
    if (!isObj(s)) throw kapriError('InvalidConfig', `manifest ${manifestPath}: ${side}.${name} is missing`, { file: manifestPath });
    return s;
  };
  const source = async (name: string): Promise<PairedSource> => {
    const s = split('source', name);
    const w = await modality(s['weak'], `source.${name}.weak`);
    const sup = await modality(s['superior'], `source.${name}.superior`);
    const d: PairedSource = { n: w.n, weak: w.m, superior: sup.m, ...(s['label'] !== undefined ? { label: await labels(s['label'], `source.${name}.label`) } : {}) };
    return unwrap(validateSource(d, `source.${name}`));
  };
  const target = async (name: string): Promise<Target> => {
    const s = split('target', name);
    const w = await modality(s['weak'], `target.${name}.weak`);
    const d: Target = { n: w.n, weak: w.m, ...(s['label'] !== undefined ? { label: await labels(s['label'], `target.${name}.label`) } : {}) };
    return unwrap(validateTarget(d, `target.${name}`));
  };
  return {
    task,
    source: { train: await source('train'), val: await source('val'), test: await source('test') },
    target: { train: await target('train'), val: await target('val'), test: await target('test') },
  };
};

