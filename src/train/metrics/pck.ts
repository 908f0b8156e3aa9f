/**
 * 3D PCK: the fraction of keypoints within a distance threshold; the curve over thresholds 20–50 mm
 * in 1 mm steps (31 points, the STB convention) and its area normalised to [0, 1] (trapezoids over
 * the threshold range divided by its length).
 */
import { kapriError } from '../../core/errors.js';
import { keypointErrors } from './epe.js';

export const PCK_THRESHOLDS: readonly number[] = Array.from({ length: 31 }, (_, i) => 20 + i);

/** Fraction of keypoints with error ≤ threshold. */
export const pckAt = (errors: ArrayLike<number>, threshold: number): number => {
  let k = 0;
  for (let i = 0; i < errors.length; i++) if (errors[i]! <= threshold) k++;
  return k / errors.length;
};

/** The PCK curve and its normalised AUC. */
export const pckCurve = (
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  thresholds: readonly number[] = PCK_THRESHOLDS,
): { thresholds: readonly number[]; pck: number[]; auc: number } => {
  if (thresholds.length < 2 || thresholds.some((t, i) => i > 0 && t <= thresholds[i - 1]!))
    throw kapriError('InvalidArgument', 'PCK thresholds must be at least two increasing values');
  const e = keypointErrors(pred, truth);
  const pck = thresholds.map((t) => pckAt(e, t));
  let area = 0;
  for (let i = 1; i < thresholds.length; i++)
    area += ((pck[i]! + pck[i - 1]!) / 2) * (thresholds[i]! - thresholds[i - 1]!);
  return { thresholds, pck, auc: area / (thresholds[thresholds.length - 1]! - thresholds[0]!) };
};
