import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../src/train/schedule.js';

describe('learningRateAt', () => {
  it('keeps a constant rate', () => {
    expect(learningRateAt({ kind: 'constant' }, 0.1, 7, 10)).toBe(0.1);
  });

  it('warms up linearly, then decays by a half cosine to the floor', () => {
    const s = { kind: 'cosine', warmupSteps: 2, floor: 0.1 } as const;
    expect(learningRateAt(s, 1, 0, 12)).toBeCloseTo(0.5);
    expect(learningRateAt(s, 1, 1, 12)).toBeCloseTo(1);
    expect(learningRateAt(s, 1, 2, 12)).toBeCloseTo(1);
    expect(learningRateAt(s, 1, 11, 12)).toBeCloseTo(0.1);
    // halfway through the decay: floor + (1 − floor)/2
    expect(learningRateAt({ kind: 'cosine' }, 1, 5, 11)).toBeCloseTo(0.5);
  });
});
