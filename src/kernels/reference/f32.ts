/**
 * Plain JS references of the f32 kernel family (assembly/f32.ts), accumulating in float64: the
 * kernels accumulate in float32 in another order, so they agree to a tolerance that scales with the
 * reduction length, not bit for bit.
 */

/** Dimensions of y[m×n] = a[m×k]·b[k×n]. */
export interface GemmDims {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/** Dimensions of y[m×n] = (x[m×d]·U[d×r])·V[r×n]. */
export interface LowRankDims {
  readonly m: number;
  readonly d: number;
  readonly r: number;
  readonly n: number;
}

/** y = a·b (+ bias) (ReLU), row-major. */
export const refGemmF32 = (
  a: Float32Array,
  b: Float32Array,
  dims: GemmDims,
  bias?: Float32Array,
  relu = false,
): Float32Array => {
  const { m, k, n } = dims;
  const y = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) acc[j] = bias ? bias[j]! : 0;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const row = p * n;
      for (let j = 0; j < n; j++) acc[j]! += aip * b[row + j]!;
    }
    for (let j = 0; j < n; j++) y[i * n + j] = relu ? Math.max(0, acc[j]!) : acc[j]!;
  }
  return y;
};

/** y = (x·U)·V (+ bias): the intermediate x·U is rounded to float32, as the kernel's scratch is. */
export const refLowRankF32 = (
  x: Float32Array,
  u: Float32Array,
  v: Float32Array,
  dims: LowRankDims,
  bias?: Float32Array,
): Float32Array => {
  const t = refGemmF32(x, u, { m: dims.m, k: dims.d, n: dims.r });
  return refGemmF32(t, v, { m: dims.m, k: dims.r, n: dims.n }, bias);
};

/** y_i = x_i / max(‖x_i‖, eps) for the m rows of x[m×n]. */
export const refL2NormalizeRowsF32 = (x: Float32Array, m: number, n: number, eps: number): Float32Array => {
  const y = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    let ss = 0;
    for (let j = 0; j < n; j++) ss += x[i * n + j]! ** 2;
    const den = Math.max(Math.sqrt(ss), eps);
    for (let j = 0; j < n; j++) y[i * n + j] = x[i * n + j]! / den;
  }
  return y;
};

/** y[i] = ⟨a_i, b_i⟩ / (max(‖a_i‖, eps)·max(‖b_i‖, eps)) for the m rows of a, b [m×n]. */
export const refCosineRowsF32 = (a: Float32Array, b: Float32Array, m: number, n: number, eps: number): Float32Array => {
  const y = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let j = 0; j < n; j++) {
      const p = a[i * n + j]!;
      const q = b[i * n + j]!;
      ab += p * q;
      aa += p * p;
      bb += q * q;
    }
    y[i] = ab / (Math.max(Math.sqrt(aa), eps) * Math.max(Math.sqrt(bb), eps));
  }
  return y;
};
