import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { generateScenario } from '../../src/scenarios/index.js';
import { resolveShift, SHIFT_MAX, shifted, shiftedRange } from '../../src/scenarios/targetShift.js';
import { differingArrays } from '../support/scenarioBytes.js';
import { thrown } from '../support/thrown.js';

describe('the target shift scale', () => {
  it('gives exactly the source value at 0 and exactly the target value at 1, bit for bit', () => {
    const pairs: [number, number][] = [
      [450, 600],
      [0.87, 0.55],
      [-0.6, 0.2],
      [0.05, 0.15],
      [-20, 40],
      [0.1, -0.5],
    ];
    for (const [a, b] of pairs) {
      expect(Object.is(shifted(a, b, 0), a)).toBe(true);
      expect(Object.is(shifted(a, b, 1), b)).toBe(true);
    }
  });

  it('interpolates and extrapolates linearly, clamped to the bounds given', () => {
    expect(shifted(450, 600, 0.5)).toBe(525);
    expect(shifted(450, 600, 2)).toBe(750);
    expect(shifted(0.6, 0.9, 2, [0, 1])).toBe(1);
    expect(shifted(0.35, 0.25, 4, [0, Infinity])).toBe(0);
    expect(shiftedRange([-20, 20], [40, 80], 0.5)).toEqual([10, 50]);
    expect(shiftedRange([-20, 20], [40, 80], 4, [-180, 180])).toEqual([180, 180]);
  });

  it('defaults to 1 and refuses what is not a finite number in [0, SHIFT_MAX], naming the scenario and the value', () => {
    expect(resolveShift('x', undefined)).toBe(1);
    expect(resolveShift('x', 0)).toBe(0);
    expect(resolveShift('x', SHIFT_MAX)).toBe(SHIFT_MAX);
    for (const bad of [-1, SHIFT_MAX + 0.5, Number.NaN, Number.POSITIVE_INFINITY, '2' as unknown as number]) {
      const e = thrown(() => resolveShift('hands', bad));
      expect(isKapriError(e, 'InvalidConfig')).toBe(true);
      expect((e as Error).message).toMatch(
        /^hands: shift must be a number in \[0, 4\] \(1 = the stated target, 0 = the source's distribution\), got /,
      );
    }
  });
});

describe('data.shift through the registered definitions', () => {
  const sizes = { sourceTrain: 20, targetTrain: 12, targetTest: 8 };

  it.each(['hands', 'physio', 'actions', 'cardio', 'gauss'])(
    '%s: applies it (the notes state the scale) and at 1 gives the bytes of a run without it',
    (name) => {
      expect(generateScenario(name, 2, { ...sizes, shift: 0.5 }).notes.join(' ')).toMatch(/shift ×0\.5 \(data\.shift/);
      expect(
        differingArrays(generateScenario(name, 2, { ...sizes, shift: 1 }), generateScenario(name, 2, sizes)),
      ).toEqual([]);
      expect(
        differingArrays(generateScenario(name, 2, { ...sizes, shift: 0 }), generateScenario(name, 2, sizes)),
      ).toContain('target.test.weak');
    },
  );
});
