/**
 * `sweep.json`: a grid of runs — configuration overlays × scenarios or datasets — each cell a whole
 * `kapri run` with the sweep's seeds (paired within the cell, docs/methods.md §6). Decoding refuses
 * anything it does not know, naming the file and the key; `sweepCells` resolves every cell's
 * configuration up front, so a bad overlay is refused before any cell runs.
 *
 * @example
 * // sweep.json
 * { "preset": "quick", "scenarios": ["gauss", "cardio"], "seeds": 3,
 *   "overlays": { "base": {}, "strongKd": { "distill": { "lambdaKd": [4] } } } }
 */
import { dirname, basename, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { fail, type KapriError } from '../../core/errors.js';
import { sha256Hex } from '../../core/sha256.js';
import { decodeConfig, deepMerge, type Config } from '../config.js';
import { PRESETS } from '../presets.js';

export interface SweepSpec {
  /** The sweep file, for errors and relative paths. */
  readonly file: string;
  readonly preset: Config['preset'];
  readonly scenarios: readonly string[];
  /** Manifests, resolved against the sweep file's folder. */
  readonly data: readonly string[];
  /** Overlay name → a partial configuration laid over the preset (in the file's order). */
  readonly overlays: readonly (readonly [string, unknown])[];
  readonly seed?: number;
  readonly seeds?: number;
}

export interface SweepCell {
  /** Stable across runs of the same sweep: the folder name of its results and its queue job id. */
  readonly id: string;
  readonly overlay: string;
  /** The scenario's name, or the manifest's path. */
  readonly target: string;
  readonly data?: string;
  /** The cell's whole resolved configuration (what `kapri run --config` is given). */
  readonly config: Config;
}

const KEYS = new Set(['preset', 'scenarios', 'data', 'overlays', 'seed', 'seeds']);
const NAME = /^[A-Za-z0-9_-]{1,40}$/;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string' && s !== '');
const isCount = (x: unknown, min: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;

/** Decodes a parsed sweep file. */
export const decodeSweepSpec = (x: unknown, file: string): E.Either<KapriError, SweepSpec> => {
  const bad = (key: string, expected: string, got: unknown) =>
    fail<SweepSpec>('InvalidConfig', `${file}: '${key}' must be ${expected}, got ${JSON.stringify(got)}`, {
      file,
      path: key,
    });
  if (!isObject(x)) return fail('InvalidConfig', `${file}: a sweep is a JSON object`, { file });
  const extra = Object.keys(x).filter((k) => !KEYS.has(k));
  if (extra.length)
    return fail('InvalidConfig', `${file}: unknown key ${extra.join(', ')}; a sweep has ${[...KEYS].join(', ')}`, {
      file,
      path: extra[0],
    });
  const preset = x['preset'] ?? 'default';
  if (typeof preset !== 'string' || !(preset in PRESETS))
    return bad('preset', `one of ${Object.keys(PRESETS).join(', ')}`, preset);
  const scenarios = x['scenarios'] ?? [];
  if (!isStrings(scenarios)) return bad('scenarios', 'a list of scenario names', scenarios);
  const data = x['data'] ?? [];
  if (!isStrings(data)) return bad('data', 'a list of manifest paths', data);
  if (scenarios.length + data.length === 0)
    return bad('scenarios', 'a non-empty list (or name manifests under data)', scenarios);
  const overlays = x['overlays'] ?? { base: {} };
  if (!isObject(overlays) || Object.keys(overlays).length === 0)
    return bad('overlays', 'an object of overlay name → partial configuration', overlays);
  for (const [name, o] of Object.entries(overlays)) {
    if (!NAME.test(name)) return bad('overlays', 'names of letters, digits, _ and - (at most 40)', name);
    if (!isObject(o)) return bad(`overlays.${name}`, 'a partial configuration (an object)', o);
  }
  if (x['seed'] !== undefined && !isCount(x['seed'], 0)) return bad('seed', 'an integer ≥ 0', x['seed']);
  if (x['seeds'] !== undefined && !isCount(x['seeds'], 1)) return bad('seeds', 'an integer ≥ 1', x['seeds']);
  return E.right({
    file,
    preset: preset as Config['preset'],
    scenarios,
    data: data.map((d) => resolve(dirname(file), d)),
    overlays: Object.entries(overlays),
    ...(x['seed'] !== undefined ? { seed: x['seed'] as number } : {}),
    ...(x['seeds'] !== undefined ? { seeds: x['seeds'] as number } : {}),
  });
};

const slug = (s: string): string =>
  s
    .replace(/\.json$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .slice(-40);

/** Every cell of the grid (overlays outermost, in the file's order), each configuration decoded. */
export const sweepCells = async (s: SweepSpec): Promise<E.Either<KapriError, SweepCell[]>> => {
  const targets: { target: string; scenario?: string; data?: string }[] = [
    ...s.scenarios.map((name) => ({ target: name, scenario: name })),
    ...s.data.map((m) => ({ target: m, data: m })),
  ];
  const cells: SweepCell[] = [];
  for (const [overlay, partial] of s.overlays)
    for (const t of targets) {
      const flags = {
        ...(t.scenario !== undefined ? { scenario: t.scenario } : {}),
        ...(s.seed !== undefined ? { seed: s.seed } : {}),
        ...(s.seeds !== undefined ? { seeds: s.seeds } : {}),
      };
      const c = decodeConfig(deepMerge(deepMerge(PRESETS[s.preset], partial), flags), `${s.file} overlay '${overlay}'`);
      if (E.isLeft(c)) return c;
      const hash = await sha256Hex(new TextEncoder().encode(JSON.stringify({ config: c.right, data: t.data ?? null })));
      cells.push({
        id: `${overlay}--${slug(t.data !== undefined ? `${basename(dirname(t.data))}-${basename(t.data)}` : t.target)}--${hash.slice(0, 10)}`,
        overlay,
        target: t.target,
        ...(t.data !== undefined ? { data: t.data } : {}),
        config: c.right,
      });
    }
  return E.right(cells);
};
