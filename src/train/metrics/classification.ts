/**
 * Accuracy and macro-F1 over integer class ids. Macro-F1 averages per-class F1 over the classes that
 * occur in the targets or the predictions; a class absent from both is left out (its F1 is undefined).
 */
import { kapriError } from '../../core/errors.js';

const check = (pred: ArrayLike<number>, truth: ArrayLike<number>, classes: number): void => {
  if (pred.length !== truth.length)
    throw kapriError('InvalidShape', `${pred.length} predictions for ${truth.length} labels`);
  if (pred.length === 0) throw kapriError('InvalidShape', 'no predictions to score');
  for (let i = 0; i < pred.length; i++) {
    for (const [what, v] of [
      ['prediction', pred[i]!],
      ['label', truth[i]!],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= classes)
        throw kapriError('InvalidData', `${what} ${i} is ${v}, outside classes [0, ${classes - 1}]`, { index: i });
    }
  }
};

export const accuracy = (pred: ArrayLike<number>, truth: ArrayLike<number>, classes: number): number => {
  check(pred, truth, classes);
  let k = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) k++;
  return k / pred.length;
};

export const macroF1 = (pred: ArrayLike<number>, truth: ArrayLike<number>, classes: number): number => {
  check(pred, truth, classes);
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] === truth[i]) tp[pred[i]!]!++;
    else {
      fp[pred[i]!]!++;
      fn[truth[i]!]!++;
    }
  }
  let sum = 0;
  let used = 0;
  for (let c = 0; c < classes; c++) {
    if (tp[c]! + fp[c]! + fn[c]! === 0) continue;
    sum += (2 * tp[c]!) / (2 * tp[c]! + fp[c]! + fn[c]!);
    used++;
  }
  return sum / used;
};

/** Class ids of the rows of a [n, classes] score matrix (first maximum wins). */
export const argmaxRows = (scores: ArrayLike<number>, classes: number): Int32Array => {
  const n = scores.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c]! > scores[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
};
