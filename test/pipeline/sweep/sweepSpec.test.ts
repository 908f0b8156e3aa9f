/** sweep.json: what a sweep may say, the cells it expands to, and the errors for what it may not. */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSweepSpec, sweepCells } from '../../../src/pipeline/sweep/sweepSpec.js';
import { isKapriError } from '../../../src/core/errors.js';
import { rightOf } from '../../support/either.js';

const spec = (x: unknown) => decodeSweepSpec(x, '/home/me/grid/sweep.json');
const refusal = (x: unknown): string => {
  const r = spec(x);
  expect(E.isLeft(r) && isKapriError(r.left, 'InvalidConfig')).toBe(true);
  return E.isLeft(r) ? r.left.message : '';
};

describe('decodeSweepSpec', () => {
  it('takes the default preset and one empty overlay when the file names only its targets', () => {
    const s = rightOf(spec({ scenarios: ['gauss'] }));
    expect(s).toMatchObject({ preset: 'default', scenarios: ['gauss'], data: [], overlays: [['base', {}]] });
  });

  it('resolves manifests against the sweep file’s folder', () => {
    expect(rightOf(spec({ data: ['site-a/manifest.json', '/abs/m.json'] })).data).toEqual([
      '/home/me/grid/site-a/manifest.json',
      '/abs/m.json',
    ]);
  });

  it.each([
    [{ scenarios: ['gauss'], cells: 3 }, /unknown key cells/],
    [{ scenarios: ['gauss'], preset: 'huge' }, /'preset' must be one of quick, default, paper, full/],
    [{ scenarios: [] }, /'scenarios' must be a non-empty list/],
    [{ scenarios: 'gauss' }, /'scenarios' must be a list of scenario names/],
    [{ scenarios: ['gauss'], overlays: { 'a b': {} } }, /'overlays' must be names of letters/],
    [{ scenarios: ['gauss'], overlays: { a: 3 } }, /'overlays.a' must be a partial configuration/],
    [{ scenarios: ['gauss'], seeds: 0 }, /'seeds' must be an integer ≥ 1/],
    [[], /a sweep is a JSON object/],
  ])('refuses %j naming the file and the key', (x, message) => {
    const m = refusal(x);
    expect(m).toMatch(message);
    expect(m).toMatch(/^\/home\/me\/grid\/sweep\.json/);
  });
});

describe('sweepCells', () => {
  const grid = {
    preset: 'quick',
    scenarios: ['gauss', 'cardio'],
    seeds: 2,
    overlays: { base: {}, wide: { student: { width: 12 } } },
  };

  it('expands overlays × targets, overlays outermost, each cell with its resolved configuration', async () => {
    const cells = rightOf(await sweepCells(rightOf(spec(grid))));
    expect(cells.map((c) => `${c.overlay}/${c.target}`)).toEqual([
      'base/gauss',
      'base/cardio',
      'wide/gauss',
      'wide/cardio',
    ]);
    expect(cells.map((c) => [c.config.scenario, c.config.seeds, c.config.student.width])).toEqual([
      ['gauss', 2, 8],
      ['cardio', 2, 8],
      ['gauss', 2, 12],
      ['cardio', 2, 12],
    ]);
  });

  it('gives every cell an id of its own that the same sweep gives again, and another config another id', async () => {
    const ids = async (x: unknown) => rightOf(await sweepCells(rightOf(spec(x)))).map((c) => c.id);
    const a = await ids(grid);
    expect(new Set(a).size).toBe(4);
    expect(await ids(grid)).toEqual(a);
    expect(a.every((id) => /^[A-Za-z0-9_-]+--[A-Za-z0-9_-]+--[0-9a-f]{10}$/.test(id))).toBe(true);
    expect((await ids({ ...grid, seeds: 3 }))[0]).not.toBe(a[0]);
  });

  it('refuses an overlay the configuration does not accept, naming the overlay', async () => {
    const r = await sweepCells(rightOf(spec({ scenarios: ['gauss'], overlays: { bad: { student: { wdth: 3 } } } })));
    expect(E.isLeft(r) && r.left.message).toMatch(/sweep\.json overlay 'bad': unknown key student\.wdth/);
  });

  it('refuses a scenario that is not registered', async () => {
    const r = await sweepCells(rightOf(spec({ scenarios: ['gaus'] })));
    expect(E.isLeft(r) && isKapriError(r.left, 'InvalidConfig')).toBe(true);
  });
});
