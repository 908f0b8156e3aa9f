/** Closed-form ridge regression (dual form, linear kernel) for probing what a modality carries. */

/** Solves (K + λI) A = Y by Cholesky; K is n×n symmetric positive definite. */
const choleskySolve = (k: Float64Array, n: number, y: Float64Array, m: number): Float64Array => {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = k[i * n + j]!;
      for (let p = 0; p < j; p++) s -= l[i * n + p]! * l[j * n + p]!;
      l[i * n + j] = i === j ? Math.sqrt(s) : s / l[j * n + j]!;
    }
  }
  const z = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = y[i * m + c]!;
      for (let p = 0; p < i; p++) s -= l[i * n + p]! * z[p * m + c]!;
      z[i * m + c] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i * m + c]!;
      for (let p = i + 1; p < n; p++) s -= l[p * n + i]! * z[p * m + c]!;
      z[i * m + c] = s / l[i * n + i]!;
    }
  }
  return z;
};

/** Fits ridge on (xTrain, yTrain) and returns the test-set mean squared error per target value. */
export const ridgeProbeMse = (xTrain: Float32Array, yTrain: Float32Array, xTest: Float32Array, yTest: Float32Array, d: number, m: number, lambda: number): number => {
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
  const a = choleskySolve(k, n, yc, m);
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
