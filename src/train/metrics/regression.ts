/** Errors of generic regression: mean absolute error and root-mean-square error, over every output value. */
import { checkPair } from './checkPair.js';

/**
 * Mean absolute error over every value.
 *
 * @example
 * mae([1, 2], [1, 4]) // → 1
 */
export const mae = (pred: ArrayLike<number>, truth: ArrayLike<number>): number => {
  const n = checkPair('MAE', pred, truth);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(pred[i]! - truth[i]!);
  return s / n;
};

/**
 * Root-mean-square error over every value.
 *
 * @example
 * rmse([1, 2], [1, 4]) // → √2
 */
export const rmse = (pred: ArrayLike<number>, truth: ArrayLike<number>): number => {
  const n = checkPair('RMSE', pred, truth);
  let s = 0;
  for (let i = 0; i < n; i++) s += (pred[i]! - truth[i]!) ** 2;
  return Math.sqrt(s / n);
};
