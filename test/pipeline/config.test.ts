import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeConfig, deepMerge } from '../../src/pipeline/config.js';
import { PRESETS } from '../../src/pipeline/presets.js';

const message = (r: E.Either<Error, unknown>): string => (E.isLeft(r) ? r.left.message : 'decoded');

describe('decodeConfig', () => {
  it.each(['quick', 'default', 'full'] as const)('accepts the %s preset', (p) => {
    expect(E.isRight(decodeConfig(PRESETS[p]))).toBe(true);
  });

  it('names the path of a field of the wrong type and what was expected', () => {
    const bad = deepMerge(PRESETS.quick, { student: { steps: 'many' } });
    expect(message(decodeConfig(bad, 'my.json'))).toBe("my.json: 'student.steps' must be a positive integer, got \"many\"");
  });

  it('refuses unknown keys, naming them', () => {
    expect(message(decodeConfig(deepMerge(PRESETS.quick, { student: { widht: 8 } })))).toMatch(/unknown key student\.widht/);
  });

  it('refuses an unknown scenario, listing the known ones', () => {
    expect(message(decodeConfig({ ...PRESETS.quick, scenario: 'faces' }))).toMatch(/'scenario' must be hands \| physio \| actions \| cardio \| gauss, got "faces"/);
  });

  it('refuses a missing field', () => {
    const { seeds: _drop, ...rest } = PRESETS.quick;
    expect(message(decodeConfig(rest))).toMatch(/'seeds' must be a positive integer, got nothing/);
  });
});

describe('deepMerge', () => {
  it('merges objects key by key and replaces arrays and scalars', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 2 });
  });
});
