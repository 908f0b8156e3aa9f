/** Closed-form ridge regression (dual form, linear kernel) for probing what a modality carries. */
import { choleskySolveInPlace } from '../../src/core/cholesky.js';

/** Fits ridge on (xTrain, yTrain) and returns the test-set mean squared error per target value. */
export const ridgeProbeMse = (
  xTrain: Float32Array,
  yTrain: Float32Array,
  xTest: Float32Array,
  yTest: Float32Array,
  d: number,
  m: number,
  lambda: number,
): number => {
  const n = xTrain.length / d;
  const t = xTest.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += xTrain[i * d + j]! / n;
  const ym = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) ym[c]! += yTrain[i * m + c]! / n;
  const cx = (x: Float32Array, i: number, j: number) => x[i * d + j]! - mean[j]!;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) s += cx(xTrain, i, p) * cx(xTrain, j, p);
      k[i * n + j] = s;
      k[j * n + i] = s;
    }
    k[i * n + i]! += lambda;
  }
  const yc = Float64Array.from({ length: n * m }, (_, q) => yTrain[q]! - ym[q % m]!);
  // (K + λI) A = Y: yc becomes A.
  choleskySolveInPlace(k, yc, n, m);
  const a = yc;
  let se = 0;
  for (let i = 0; i < t; i++) {
    const kv = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) s += cx(xTest, i, p) * cx(xTrain, j, p);
      kv[j] = s;
    }
    for (let c = 0; c < m; c++) {
      let pred = ym[c]!;
      for (let j = 0; j < n; j++) pred += kv[j]! * a[j * m + c]!;
      se += (pred - yTest[i * m + c]!) ** 2;
    }
  }
  return se / (t * m);
};
