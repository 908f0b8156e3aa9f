/** Raw exports of the f32 kernel family (assembly/f32.ts). Pointers are byte offsets. */
export interface F32Exports {
  /** y[m×n] = a[m×k]·b[k×n] (+bias[n] if bias ≠ 0) (ReLU if relu ≠ 0), rows [rowStart, rowEnd) only. */
  f32_gemm(
    a: number,
    b: number,
    bias: number,
    y: number,
    m: number,
    k: number,
    n: number,
    relu: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  /** y = (x[m×d]·U[d×r])·V[r×n] (+bias), rows [rowStart, rowEnd); t is scratch of m×r floats. */
  f32_lowrank(
    x: number,
    u: number,
    v: number,
    bias: number,
    y: number,
    t: number,
    m: number,
    d: number,
    r: number,
    n: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  /** y_i = x_i / max(‖x_i‖, eps) over the m rows of x[m×n]. */
  f32_l2normalize_rows(x: number, y: number, m: number, n: number, eps: number): void;
  /** y[i] = ⟨a_i, b_i⟩ / (max(‖a_i‖, eps)·max(‖b_i‖, eps)). */
  f32_cosine_rows(a: number, b: number, y: number, m: number, n: number, eps: number): void;
  /** Register-resident f32x4 mul+add loop of iters × 64 flops; returns a value depending on the work. */
  f32_roofline(iters: number): number;
}
