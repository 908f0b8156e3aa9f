/**
 * Config fuzz (issue 14's evidence): 10,000 seeded mutations of the presets (values replaced by
 * other types, huge, negative, fractional or non-finite numbers; keys deleted or added; lists emptied
 * or grown). Each case is classified: refused with a typed InvalidConfig naming a key, or accepted
 * with every count and size inside the bounds that keep a run finite. No case may throw or escape.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeConfig, type Config } from '../../src/pipeline/config.js';
import { PRESETS } from '../../src/pipeline/presets.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';

const weird = (rng: Rng): unknown => {
  const pool: unknown[] = [
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 31,
    1e15,
    Number.NaN,
    Infinity,
    null,
    true,
    'x',
    '3',
    [],
    {},
    [1e7],
    [-1],
    7,
    0.5,
    1,
  ];
  return pool[rng.int(pool.length)];
};

/** Paths to every leaf and list of a JSON value. */
const paths = (x: unknown, prefix: string[] = []): string[][] => {
  if (Array.isArray(x)) return [prefix, ...x.flatMap((v, i) => paths(v, [...prefix, String(i)]))];
  if (x && typeof x === 'object') return [prefix, ...Object.entries(x).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
};

const mutate = (base: unknown, rng: Rng): unknown => {
  const c = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (let m = 0, n = 1 + rng.int(3); m < n; m++) {
    const all = paths(c).filter((p) => p.length > 0);
    const p = all[rng.int(all.length)]!;
    const parent = p.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, c);
    const key = p[p.length - 1]!;
    const kind = rng.int(4);
    if (kind === 0) delete parent[key];
    else if (kind === 1) parent[`${key}x`] = weird(rng);
    else if (kind === 2 && Array.isArray(parent[key]))
      (parent[key] as unknown[]).push(...Array.from({ length: rng.int(20) }, () => weird(rng)));
    else parent[key] = weird(rng);
  }
  return c;
};

/** What an accepted config must satisfy for a run to finish and allocate sanely. */
const withinBounds = (c: Config): boolean =>
  c.seeds <= 1000 &&
  [c.teacher, c.student].every(
    (t) => t.steps <= 1e6 && t.width <= 1024 && t.batchSize <= 65536 && Number.isInteger(t.steps),
  ) &&
  c.target.steps <= 1e6 &&
  c.prior.strengths.length >= 1 &&
  c.prior.strengths.length <= 16 &&
  c.prior.strengths.every((s) => s > 0 && s <= 1e6) &&
  c.distill.lambdaKd.length >= 1 &&
  c.distill.lambdaFeat.length >= 1 &&
  c.data.gamma >= 0 &&
  c.data.gamma <= 1 &&
  c.data.shift >= 0 &&
  c.data.shift <= 4 &&
  Number.isFinite(c.target.lr) &&
  c.target.lr > 0;

describe('config fuzz', () => {
  it('classifies 10,000 mutated presets as typed refusals or in-bounds configs, nothing else', () => {
    const rng = createRng(314);
    const names = Object.keys(PRESETS) as Config['preset'][];
    const counts = { refused: 0, accepted: 0, other: 0 };
    for (let i = 0; i < 10_000; i++) {
      const x = mutate(PRESETS[names[i % names.length]!], rng);
      let r: E.Either<Error, Config>;
      try {
        r = decodeConfig(x, 'fuzz.json');
      } catch {
        counts.other++;
        continue;
      }
      if (E.isLeft(r)) {
        if (isKapriError(r.left, 'InvalidConfig') && /fuzz\.json: ('.+' must be|unknown key)/.test(r.left.message))
          counts.refused++;
        else counts.other++;
      } else if (withinBounds(r.right)) counts.accepted++;
      else counts.other++;
    }
    expect(counts.other).toBe(0);
    expect(counts.refused).toBeGreaterThan(5000);
    expect(counts.accepted).toBeGreaterThan(100);
  });
});
