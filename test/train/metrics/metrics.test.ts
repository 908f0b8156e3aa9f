import { describe, expect, it } from 'vitest';
import { epe } from '../../../src/train/metrics/epe.js';
import { pckCurve } from '../../../src/train/metrics/pck.js';
import { accuracy, argmaxRows, macroF1 } from '../../../src/train/metrics/classification.js';
import { isKapriError } from '../../../src/core/errors.js';
import { thrown } from '../../support/thrown.js';

describe('EPE', () => {
  it('is the mean and median Euclidean distance per keypoint', () => {
    // errors: 5 (3-4-0), 0, 13 (5-12-0) → mean 6, median 5
    const truth = [0, 0, 0, 1, 1, 1, 0, 0, 0];
    const pred = [3, 4, 0, 1, 1, 1, 5, 12, 0];
    expect(epe(pred, truth)).toEqual({ mean: 6, median: 5 });
  });

  it('refuses mismatched lengths and NaN', () => {
    expect(
      isKapriError(
        thrown(() => epe([1, 2, 3], [1, 2, 3, 4, 5, 6])),
        'InvalidShape',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        thrown(() => epe([Number.NaN, 0, 0], [0, 0, 0])),
        'InvalidData',
      ),
    ).toBe(true);
  });
});

describe('3D PCK', () => {
  it('counts keypoints within each threshold and normalises the area to [0, 1]', () => {
    // errors 10, 30 and 60 mm: PCK is 1/3 below 30, 2/3 from 30 to 50.
    const truth = new Array(9).fill(0);
    const pred = [10, 0, 0, 30, 0, 0, 60, 0, 0];
    const c = pckCurve(pred, truth);
    expect(c.pck[0]).toBeCloseTo(1 / 3);
    expect(c.pck[10]).toBeCloseTo(2 / 3);
    // area: 1/3 over [20, 29] plus the jump trapezoid [29, 30] and 2/3 over [30, 50], divided by 30
    const want = ((1 / 3) * 9 + 0.5 + (2 / 3) * 20) / 30;
    expect(c.auc).toBeCloseTo(want, 10);
  });

  it('is 1 for perfect predictions', () => {
    expect(pckCurve([1, 2, 3], [1, 2, 3]).auc).toBe(1);
  });
});

describe('classification metrics', () => {
  it('accuracy is the fraction right', () => {
    expect(accuracy([0, 1, 1, 2], [0, 1, 2, 2], 3)).toBe(0.75);
  });

  it('macro-F1 averages per-class F1 (hand-computed)', () => {
    // class 0: tp1 fp0 fn0 → 1; class 1: tp1 fp1 fn0 → 2/3; class 2: tp1 fp0 fn1 → 2/3
    expect(macroF1([0, 1, 1, 2], [0, 1, 2, 2], 3)).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
  });

  it('leaves out a class absent from both predictions and labels', () => {
    expect(macroF1([0, 1], [0, 1], 5)).toBe(1);
  });

  it('refuses labels out of range', () => {
    const e = thrown(() => accuracy([0, 3], [0, 1], 3));
    expect(isKapriError(e, 'InvalidData')).toBe(true);
    expect((e as Error).message).toMatch(/prediction 1 is 3/);
  });

  it('argmax picks the first maximum per row', () => {
    expect(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0], 3))).toEqual([1, 0]);
  });
});
