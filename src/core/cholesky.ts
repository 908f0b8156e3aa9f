/** Dense linear solves for the closed-form fits (ridge regression). */
import { kapriError } from './errors.js';

/**
 * Solves A·X = B by Cholesky, in place: A (d×d, symmetric positive definite, row-major) is overwritten
 * by its factor and B (d×m) by X. A matrix that is not positive definite throws `NumericalError`.
 */
export const choleskySolveInPlace = (a: Float64Array, b: Float64Array, d: number, m: number): void => {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]!;
    for (let k = 0; k < j; k++) s -= a[j * d + k]! ** 2;
    if (!(s > 0))
      throw kapriError('NumericalError', `the ${d}×${d} system is not positive definite (pivot ${j}); raise the ridge`);
    const l = Math.sqrt(s);
    a[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k++) t -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = t / l;
    }
  }
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < d; i++) {
      let t = b[i * m + c]!;
      for (let k = 0; k < i; k++) t -= a[i * d + k]! * b[k * m + c]!;
      b[i * m + c] = t / a[i * d + i]!;
    }
    for (let i = d - 1; i >= 0; i--) {
      let t = b[i * m + c]!;
      for (let k = i + 1; k < d; k++) t -= a[k * d + i]! * b[k * m + c]!;
      b[i * m + c] = t / a[i * d + i]!;
    }
  }
};
