/**
 * Manifests under hostile input: names leading out of the folder (`..`, absolute, symlinks), files that
 * are not regular, shapes that disagree across splits, labels and `classes` that do not fit; then a
 * seeded fuzz of 10,000 manifests over a pool of such names, each classified against a model of what
 * the loader must do (a typed refusal, or the expected arrays).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKapriError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { encodeNpy } from '../../src/data/npy.js';
import { loadManifest, type LoadedData } from '../../src/data/manifest.js';

/** A float64 .npy (encodeNpy writes float32 and int32 only). */
const npyF8 = (xs: number[]): Uint8Array => {
  const header = `${`{'descr': '<f8', 'fortran_order': False, 'shape': (${xs.length},), }`.padEnd(117, ' ')}\n`;
  const out = new Uint8Array(128 + 8 * xs.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  new Float64Array(out.buffer, 128).set(xs);
  return out;
};

interface FileSpec {
  /** Array shape, or why the loader must refuse the name. */
  readonly shape?: number[];
  readonly refuse?: 'outside' | 'unreadable' | 'corrupt' | 'name';
  /** Label values that are not class ids for 2 classes (any class count below). */
  readonly labels?: 'ok2' | 'ok3' | 'big' | 'frac' | 'neg';
  readonly nan?: boolean;
}

const base = mkdtempSync(join(tmpdir(), 'kapri-manifest-fuzz-'));
const root = join(base, 'data');
const outside = join(base, 'outside');
mkdirSync(join(root, 'sub'), { recursive: true });
mkdirSync(join(root, 'adir.npy'));
mkdirSync(outside);
const put = (name: string, bytes: Uint8Array) => writeFileSync(join(root, name), bytes);
put('w4.npy', encodeNpy(new Float32Array(24).fill(0.5), [4, 2, 3]));
put('w4b.npy', encodeNpy(new Float32Array(24), [4, 3, 2]));
put('w3.npy', encodeNpy(new Float32Array(18), [3, 2, 3]));
put('s4.npy', encodeNpy(new Float32Array(8), [4, 2]));
put('s4b.npy', encodeNpy(new Float32Array(16), [4, 4]));
put('sub/w4.npy', encodeNpy(new Float32Array(24).fill(0.5), [4, 2, 3]));
put(
  'nan.npy',
  encodeNpy(
    Float32Array.from({ length: 24 }, (_, i) => (i === 7 ? NaN : 0)),
    [4, 2, 3],
  ),
);
put('y4.npy', encodeNpy(Int32Array.from([0, 1, 1, 0]), [4]));
put('y4c3.npy', encodeNpy(Int32Array.from([0, 2, 1, 0]), [4]));
put('ybig.npy', npyF8([0, 4294967297, 1, 0]));
put('yfrac.npy', encodeNpy(Float32Array.from([0, 0.5, 1, 0]), [4]));
put('yneg.npy', encodeNpy(Int32Array.from([0, -1, 1, 0]), [4]));
put('corrupt.npy', new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 200, 0, 1, 2]));
writeFileSync(join(outside, 'w4.npy'), encodeNpy(new Float32Array(24), [4, 2, 3]));
symlinkSync('w4.npy', join(root, 'link_in.npy'));
symlinkSync('../outside/w4.npy', join(root, 'link_out.npy'));
symlinkSync('../outside/missing.npy', join(root, 'link_out_missing.npy'));
symlinkSync(join(outside, 'w4.npy'), join(root, 'link_abs_out.npy'));
symlinkSync('../outside', join(root, 'dirlink'));
symlinkSync('loop_b.npy', join(root, 'loop_a.npy'));
symlinkSync('loop_a.npy', join(root, 'loop_b.npy'));
execFileSync('mkfifo', [join(root, 'fifo.npy')]);

const W: FileSpec = { shape: [4, 2, 3] };
const POOL: Record<string, FileSpec> = {
  'w4.npy': W,
  './w4.npy': W,
  'sub/../w4.npy': W,
  'sub/w4.npy': W,
  'link_in.npy': W,
  'w4b.npy': { shape: [4, 3, 2] },
  'w3.npy': { shape: [3, 2, 3] },
  'nan.npy': { shape: [4, 2, 3], nan: true },
  's4.npy': { shape: [4, 2] },
  's4b.npy': { shape: [4, 4] },
  'y4.npy': { shape: [4], labels: 'ok2' },
  'y4c3.npy': { shape: [4], labels: 'ok3' },
  'ybig.npy': { shape: [4], labels: 'big' },
  'yfrac.npy': { shape: [4], labels: 'frac' },
  'yneg.npy': { shape: [4], labels: 'neg' },
  '../outside/w4.npy': { refuse: 'outside' },
  [join(outside, 'w4.npy')]: { refuse: 'outside' },
  [join(root, 'w4.npy')]: { refuse: 'outside' },
  'sub/../../outside/w4.npy': { refuse: 'outside' },
  '../outside/nope.npy': { refuse: 'outside' },
  'link_out.npy': { refuse: 'outside' },
  'link_out_missing.npy': { refuse: 'outside' },
  'link_abs_out.npy': { refuse: 'outside' },
  'dirlink/w4.npy': { refuse: 'outside' },
  'nope.npy': { refuse: 'unreadable' },
  'adir.npy': { refuse: 'unreadable' },
  'fifo.npy': { refuse: 'unreadable' },
  'loop_a.npy': { refuse: 'unreadable' },
  'corrupt.npy': { refuse: 'corrupt' },
  '': { refuse: 'name' },
};
const NAMES = Object.keys(POOL);

let serial = 0;
const manifestFile = (m: unknown): string => {
  const f = join(root, `m${serial++}.json`);
  writeFileSync(f, JSON.stringify(m));
  return f;
};

const SPLITS = ['train', 'val', 'test'] as const;

/** What the loader must do with manifest `m`: refuse (with the reason's pattern) or load these n per split. */
const expected = (m: {
  task: string;
  classes?: unknown;
  source: Record<string, Record<string, unknown>>;
  target: Record<string, Record<string, unknown>>;
}): { refuse: RegExp | true } | { n: number[] } => {
  const classes = m.classes;
  const saneClasses = typeof classes === 'number' && Number.isInteger(classes) && classes >= 2 && classes <= 100_000;
  // A regression with classes is a manifest whose task and classes disagree: refused whatever the count.
  if (m.task === 'regression' && classes !== undefined) return { refuse: /classes/ };
  if ((m.task === 'classification' || classes !== undefined) && !saneClasses) return { refuse: /classes/ };
  const shapes = new Map<string, string>();
  const ns: number[] = [];
  const slots: [string, string, Record<string, unknown>][] = [
    ...SPLITS.map((s) => ['source', s, m.source[s]!] as [string, string, Record<string, unknown>]),
    ...SPLITS.map((s) => ['target', s, m.target[s]!] as [string, string, Record<string, unknown>]),
  ];
  for (const [side, , s] of slots) {
    const keys = side === 'source' ? ['weak', 'superior', 'label'] : ['weak', 'label'];
    const got = new Map<string, FileSpec>();
    // names are read (and their shapes and class labels checked) in order, then the split is validated
    for (const key of keys) {
      const name = s[key];
      if (key === 'label' && name === undefined) continue;
      if (typeof name !== 'string') return { refuse: /must name a \.npy file/ };
      const f = POOL[name]!;
      if (f.refuse === 'outside') return { refuse: /outside the manifest's folder/ };
      if (f.refuse) return { refuse: true };
      const shape = f.shape!;
      if (key === 'label' && m.task === 'classification') {
        if (shape.length !== 1) return { refuse: true };
        const c = classes as number;
        if (f.labels === 'big' || f.labels === 'frac' || f.labels === 'neg') return { refuse: /label 1 is/ };
        if (f.labels === 'ok3' && c < 3) return { refuse: /label 1 is class 2/ };
      } else {
        const kind = key;
        const per = (shape.length > 1 ? shape.slice(1) : key === 'label' ? [1] : []).join(',');
        if (shapes.has(kind) && shapes.get(kind) !== per) return { refuse: /every split must match/ };
        shapes.set(kind, per);
      }
      got.set(key, f);
    }
    const n = got.get('weak')!.shape![0]!;
    for (const f of got.values()) if (f.shape![0] !== n || f.nan) return { refuse: true };
    ns.push(n);
  }
  return { n: ns };
};

const randomManifest = (seed: number, i: number) => {
  const r = createRng(seed).fork(i);
  const good = r.int(3) !== 0; // two thirds of the slots name a good file
  const name = (kind: 'weak' | 'superior' | 'label') => {
    if (r.int(40) === 0) return pick([123, null, ['w4.npy']]);
    if (good && r.int(12) !== 0)
      return kind === 'weak'
        ? pick(['w4.npy', './w4.npy', 'sub/w4.npy', 'link_in.npy'])
        : kind === 'superior'
          ? 's4.npy'
          : 'y4.npy';
    return pick(NAMES);
  };
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
  const task = r.int(3) === 0 ? 'regression' : 'classification';
  const classes =
    r.int(8) === 0
      ? pick([1, 2.5, 1e9, '3', -2, null, 3, 100_000, 100_001])
      : task === 'classification'
        ? pick([2, 3])
        : undefined;
  const split = (side: 'source' | 'target') => ({
    weak: name('weak'),
    ...(side === 'source' ? { superior: name('superior') } : {}),
    ...(r.int(6) === 0 ? {} : { label: name('label') }),
  });
  return {
    task,
    ...(classes !== undefined ? { classes } : {}),
    source: { train: split('source'), val: split('source'), test: split('source') },
    target: { train: split('target'), val: split('target'), test: split('target') },
  };
};

describe('manifest: staying in its folder', () => {
  const m = (weak: string) => ({
    task: 'classification',
    classes: 2,
    source: Object.fromEntries(SPLITS.map((s) => [s, { weak, superior: 's4.npy', label: 'y4.npy' }])),
    target: Object.fromEntries(SPLITS.map((s) => [s, { weak: 'w4.npy', label: 'y4.npy' }])),
  });

  it.each([
    '../outside/w4.npy',
    join(outside, 'w4.npy'),
    'link_out.npy',
    'link_abs_out.npy',
    'dirlink/w4.npy',
    'sub/../../outside/w4.npy',
  ])('refuses %s, which leads out of the folder', async (name) => {
    const e = await loadManifest(manifestFile(m(name))).catch((x: unknown) => x);
    expect(isKapriError(e, 'InvalidConfig') && e.message).toMatch(/outside the manifest's folder.*allowOutside/);
  });

  it('says the same whether or not the outside path exists', async () => {
    const msg = async (name: string) =>
      ((await loadManifest(manifestFile(m(name))).catch((x: unknown) => x)) as Error).message
        .replace(/"[^"]*"/, 'NAME')
        .replace(/m\d+\.json/, 'M');
    expect(await msg('../outside/nope.npy')).toBe(await msg('../outside/w4.npy'));
    expect(await msg('link_out_missing.npy')).toBe(await msg('link_out.npy'));
  });

  it('follows names out of the folder only when allowed', async () => {
    const d = await loadManifest(manifestFile(m('link_out.npy')), { allowOutside: true });
    expect(d.source.train.weak.shape).toEqual([2, 3]);
    expect((await loadManifest(manifestFile(m('link_in.npy')))).source.val.n).toBe(4);
  });

  it('refuses a FIFO and a folder without blocking, and a file over the cap', async () => {
    for (const name of ['fifo.npy', 'adir.npy'])
      expect(isKapriError(await loadManifest(manifestFile(m(name))).catch((x: unknown) => x), 'Io')).toBe(true);
    const e = await loadManifest(manifestFile(m('w4.npy')), { maxFileBytes: 100 }).catch((x: unknown) => x);
    expect(isKapriError(e, 'Io') && e.message).toMatch(/limit is 100/);
  });

  it('refuses shapes that differ across splits (train [16, 1] with val [4, 4])', async () => {
    put('t16.npy', encodeNpy(new Float32Array(16), [16, 1]));
    put('v4.npy', encodeNpy(new Float32Array(16), [4, 4]));
    put('t16s.npy', encodeNpy(new Float32Array(16), [16, 1]));
    const reg = {
      task: 'regression',
      source: {
        train: { weak: 't16.npy', superior: 't16s.npy' },
        val: { weak: 'v4.npy', superior: 's4.npy' },
        test: { weak: 'v4.npy', superior: 's4.npy' },
      },
      target: Object.fromEntries(SPLITS.map((s) => [s, { weak: 'v4.npy' }])),
    };
    const e = await loadManifest(manifestFile(reg)).catch((x: unknown) => x);
    expect(isKapriError(e, 'InvalidShape') && e.message).toMatch(
      /source\.val\.weak .* \[4\], but source\.train\.weak has \[1\]/,
    );
  });

  it.each([
    ['ybig.npy', /label 1 is class 4294967297, outside \[0, 1\]/],
    ['yfrac.npy', /label 1 is 0\.5; class labels must be integers/],
    ['yneg.npy', /label 1 is class -1, outside \[0, 1\]/],
    ['y4c3.npy', /label 1 is class 2, outside \[0, 1\]/],
  ])('refuses class labels that do not fit: %s', async (file, msg) => {
    const man = {
      ...m('w4.npy'),
      source: { ...m('w4.npy').source, train: { weak: 'w4.npy', superior: 's4.npy', label: file } },
    };
    const e = await loadManifest(manifestFile(man)).catch((x: unknown) => x);
    expect(isKapriError(e, 'InvalidData') && e.message).toMatch(msg);
  });

  it.each([1, 2.5, 1e9, '3', null, -1])('refuses classes = %s', async (classes) => {
    const e = await loadManifest(manifestFile({ ...m('w4.npy'), classes })).catch((x: unknown) => x);
    expect(isKapriError(e, 'InvalidConfig') && e.message).toMatch(/"classes" must be an integer in \[2, 100000\]/);
  });
});

describe('manifest fuzz', () => {
  it('classifies 10,000 seeded manifests as the expected load or a typed refusal', async () => {
    const counts: Record<string, number> = {
      'loaded as expected': 0,
      'refused as expected': 0,
      'untyped error': 0,
      'loaded but should refuse': 0,
      'refused but should load': 0,
      'wrong data': 0,
      'wrong refusal': 0,
    };
    const odd: string[] = [];
    const one = async (i: number) => {
      const man = randomManifest(2014, i);
      const want = expected(man as Parameters<typeof expected>[0]);
      let got: LoadedData | null = null;
      let err: unknown = null;
      try {
        got = await loadManifest(manifestFile(man));
      } catch (e) {
        err = e;
      }
      let cls: string;
      if (err !== null) {
        if (!isKapriError(err)) cls = 'untyped error';
        else if (!('refuse' in want)) cls = 'refused but should load';
        else cls = want.refuse === true || want.refuse.test(err.message) ? 'refused as expected' : 'wrong refusal';
      } else if ('refuse' in want) cls = 'loaded but should refuse';
      else {
        const ns = [...SPLITS.map((s) => got!.source[s].n), ...SPLITS.map((s) => got!.target[s].n)];
        cls =
          ns.join() === want.n.join() && got!.source.train.weak.data.every((x) => x === 0.5)
            ? 'loaded as expected'
            : 'wrong data';
      }
      counts[cls]!++;
      if (!cls.endsWith('as expected') && odd.length < 10)
        odd.push(`${i} ${cls}: ${err instanceof Error ? err.message : ''} ${JSON.stringify(man)}`);
    };
    // a few manifests at a time: the loads wait on file reads
    for (let i = 0; i < 10_000; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => one(i + j)));
    console.log('manifest fuzz:', JSON.stringify(counts));
    expect(odd).toEqual([]);
    expect(counts['loaded as expected']! + counts['refused as expected']!).toBe(10_000);
    expect(counts['loaded as expected']).toBeGreaterThan(500);
  }, 120_000);
});
