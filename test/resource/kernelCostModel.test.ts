import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { costFeatures, fitNonNegative } from '../../src/resource/kernelCostModel.js';
import { thrown } from '../support/thrown.js';

describe('kernel cost model', () => {
  it('recovers the coefficients of exactly linear data', () => {
    const truth = [2e-8, 3e-7, 5e-7, 0.004];
    const rows = [
      [1e6, 2e4, 1e4, 1],
      [5e7, 1e5, 6e4, 1],
      [2e8, 4e5, 3e5, 1],
      [3e6, 9e4, 2e3, 1],
      [8e7, 7e3, 5e5, 1],
    ];
    const ys = rows.map((r) => r.reduce((a, x, i) => a + x * truth[i]!, 0));
    fitNonNegative(rows, ys).forEach((c, i) => expect(c).toBeCloseTo(truth[i]!, 12));
  });

  it('keeps every coefficient non-negative, dropping one the data would make negative', () => {
    const rows = [
      [1, 1, 1],
      [2, 1, 1],
      [3, 2, 1],
      [4, 4, 1],
    ];
    // y = x0 − 0.5·x1 + 1: the x1 coefficient wants to be negative
    const ys = rows.map((r) => r[0]! - 0.5 * r[1]! + 1);
    const c = fitNonNegative(rows, ys);
    expect(c.every((v) => v >= 0)).toBe(true);
    expect(c[1]).toBe(0);
  });

  it('gives a zero column a zero coefficient', () => {
    const rows = [
      [1, 0, 1],
      [2, 0, 1],
      [5, 0, 1],
    ];
    expect(fitNonNegative(rows, [3, 5, 11])).toEqual([2, 0, 1].map((v) => expect.closeTo(v, 10) as unknown as number));
  });

  it('refuses fewer rows than coefficients', () => {
    expect(
      isKapriError(
        thrown(() => fitNonNegative([[1, 1]], [1])),
        'InvalidArgument',
      ),
    ).toBe(true);
  });

  it('counts MACs, padded inputs and outputs of a conv', () => {
    const f = costFeatures(
      { inShape: [2, 5, 5, 3], kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' },
      4,
      'conv2d',
    );
    expect(f).toEqual([2 * 25 * 4 * 9 * 3, 2 * 7 * 7 * 3, 2 * 25 * 4, 1]);
  });
});
