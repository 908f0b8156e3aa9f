/** Shared input checks of the metrics: equal lengths, non-empty, finite. */
import { kapriError } from '../../core/errors.js';

export const checkPair = (name: string, pred: ArrayLike<number>, truth: ArrayLike<number>, stride = 1): number => {
  if (pred.length !== truth.length)
    throw kapriError('InvalidShape', `${name}: ${pred.length} predictions for ${truth.length} targets`);
  if (pred.length === 0 || pred.length % stride !== 0)
    throw kapriError('InvalidShape', `${name}: needs a non-empty multiple of ${stride} values, got ${pred.length}`);
  for (let i = 0; i < pred.length; i++) {
    if (!Number.isFinite(pred[i]!) || !Number.isFinite(truth[i]!))
      throw kapriError('InvalidData', `${name}: value ${i} is not finite (prediction ${pred[i]}, target ${truth[i]})`, {
        index: i,
      });
  }
  return pred.length / stride;
};
