import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeConfig, deepMerge } from '../../src/pipeline/config.js';
import { PRESETS } from '../../src/pipeline/presets.js';

const message = (r: E.Either<Error, unknown>): string => (E.isLeft(r) ? r.left.message : 'decoded');

describe('decodeConfig', () => {
  it.each(['quick', 'default', 'paper', 'full'] as const)('accepts the %s preset', (p) => {
    expect(E.isRight(decodeConfig(PRESETS[p]))).toBe(true);
  });

  it('names the path of a field of the wrong type and what was expected', () => {
    const bad = deepMerge(PRESETS.quick, { student: { steps: 'many' } });
    expect(message(decodeConfig(bad, 'my.json'))).toBe(
      'my.json: \'student.steps\' must be a positive integer (at most 1000000), got "many"',
    );
  });

  it('refuses unknown keys, naming them', () => {
    expect(message(decodeConfig(deepMerge(PRESETS.quick, { student: { widht: 8 } })))).toMatch(
      /unknown key student\.widht/,
    );
  });

  it('refuses an unknown scenario, listing the known ones', () => {
    expect(message(decodeConfig({ ...PRESETS.quick, scenario: 'faces' }))).toMatch(
      /'scenario' must be hands \| physio \| actions \| cardio \| gauss, got "faces"/,
    );
  });

  it('refuses a missing field', () => {
    const { seeds: _drop, ...rest } = PRESETS.quick;
    expect(message(decodeConfig(rest))).toMatch(/'seeds' must be a positive integer \(at most 1000\), got nothing/);
  });
});

describe('decodeConfig: bounds', () => {
  it.each([
    [{ target: { steps: 1e308 } }, /'target\.steps' must be a positive integer \(at most 1000000\), got 1e\+308/],
    [{ seeds: 1e15 }, /'seeds' must be a positive integer \(at most 1000\), got 1000000000000000/],
    [{ student: { width: 2 ** 31 } }, /'student\.width' must be a positive integer \(at most 1024\), got 2147483648/],
    [{ prior: { strengths: [] } }, /'prior\.strengths' must be a list of 1 to 16 numbers in \(0, 1e6\], got \[\]/],
    [{ prior: { strengths: [0.1, -1] } }, /'prior\.strengths\.1' must be a number in \(0, 1e6\], got -1/],
    [{ distill: { lambdaKd: 1 } }, /'distill\.lambdaKd' must be a list of 1 to 16 numbers in \[0, 1e6\], got 1/],
    [{ data: { gamma: 1.5 } }, /'data\.gamma' must be a number in \[0, 1\], got 1\.5/],
    [
      { data: { shift: -1 } },
      /'data\.shift' must be a number in \[0, 4\] \(the scale of the scenario's source → target shift: 1 = the stated target, 0 = the source's distribution\), got -1/,
    ],
    [{ data: { shift: 'large' } }, /'data\.shift' must be a number in \[0, 4\] .*got "large"/],
    [{ data: { shift: 4.5 } }, /'data\.shift' must be a number in \[0, 4\] .*got 4\.5/],
    [{ data: { shift: null } }, /'data\.shift' must be a number in \[0, 4\] .*got null/],
    [{ prior: { kap: { episode: 0 } } }, /'prior\.kap\.episode' must be a positive integer \(at most 1000000\), got 0/],
  ])('refuses %j, naming the key, the value and the range', (over, msg) => {
    expect(message(decodeConfig(deepMerge(PRESETS.quick, over)))).toMatch(msg);
  });
});

describe('decodeConfig: data.shift', () => {
  it.each(['quick', 'default', 'paper', 'full'] as const)('is 1 in the %s preset (every target as stated)', (p) => {
    expect(PRESETS[p].data.shift).toBe(1);
  });

  it.each([0, 0.5, 1, 4])('accepts %s', (shift) => {
    const r = decodeConfig(deepMerge(PRESETS.quick, { data: { shift } }));
    expect(E.isRight(r) && r.right.data.shift).toBe(shift);
  });
});

describe('deepMerge', () => {
  it('merges objects key by key and replaces arrays and scalars', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 2 });
  });
});
