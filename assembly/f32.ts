// f32 kernels: GEMM for dense layers and alignment projections, the fused low-rank projection,
// row L2-normalisation, row cosine similarity and a register-resident roofline probe.
//
// Every pointer is a byte offset into the module's memory; every matrix is row-major and dense.
// Only baseline SIMD is used (these sources are shared by the simd, relaxed and threads builds).
// Row-range arguments (rowStart, rowEnd) follow the project convention: a kernel computes only the
// output rows [rowStart, rowEnd), so a thread pool can split rows across workers with no overlap.
//
// The GEMM microkernel (f32_gemm_4x8) keeps a 4-row × 8-column tile of accumulators in registers
// (8 v128), broadcasts a[i][p] with load32_splat and multiplies it with two v128 loads of row p of b:
// 11 live vectors, which fits the 15 allocatable xmm registers V8 has on x64 without spills.
// The k loop is split into panels of KC rows of b (kept in L1/L2) over blocks of MC rows; the tail
// columns are done by a 4×4 tile and then scalar columns, the tail rows by 1-row tiles.

const ZERO_F32: f32 = 0.0;

// a·b + c: one fused multiply-add in the relaxed build (f32x4.relaxed_madd, used only where the
// loader's probe found it right), a multiply then an add elsewhere. Results differ by at most the
// rounding of one product, inside the family's 1e-5 relative tolerance.
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function relu4(v: v128, relu: bool): v128 {
  return relu ? f32x4.max(v, f32x4.splat(ZERO_F32)) : v;
}

// @ts-ignore: decorator
@inline function relu1(v: f32, relu: bool): f32 {
  return relu ? (v < ZERO_F32 ? ZERO_F32 : v) : v;
}

// @ts-ignore: decorator
@inline function init4(c: usize, j: i32): v128 {
  return c != 0 ? v128.load(c + (<usize>j << 2)) : f32x4.splat(ZERO_F32);
}

// @ts-ignore: decorator
@inline function init1(c: usize, j: i32): f32 {
  return c != 0 ? load<f32>(c + (<usize>j << 2)) : ZERO_F32;
}

// ---------------------------------------------------------------------------------------------
// Tiles. `a` points at a[i][p0], `b` at b[p0][j], `y` at y[i][j]; lda/ldb/ldy are row strides in
// bytes. `c` is the accumulator source for the first k panel: bias (+j) or 0 (zeros); for later
// panels the tile accumulates onto y itself (`acc` = true), and `fin` applies ReLU on the last.

// @ts-ignore: decorator
@inline function tile4x8(a: usize, lda: usize, b: usize, ldb: usize, y: usize, ldy: usize, k: i32, c: usize, j: i32, acc: bool, fin: bool, relu: bool): void {
  let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128;
  if (acc) {
    c00 = v128.load(y); c01 = v128.load(y, 16);
    c10 = v128.load(y + ldy); c11 = v128.load(y + ldy, 16);
    c20 = v128.load(y + 2 * ldy); c21 = v128.load(y + 2 * ldy, 16);
    c30 = v128.load(y + 3 * ldy); c31 = v128.load(y + 3 * ldy, 16);
  } else {
    c00 = init4(c, j); c01 = init4(c, j + 4);
    c10 = c00; c11 = c01; c20 = c00; c21 = c01; c30 = c00; c31 = c01;
  }
  let a0 = a;
  const a1 = a + lda;
  const a2 = a + 2 * lda;
  const a3 = a + 3 * lda;
  const aEnd = a + (<usize>k << 2);
  let off: usize = 0;
  let pb = b;
  while (a0 + off < aEnd) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = v128.load32_splat(a0 + off);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a1 + off);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a2 + off);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a3 + off);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    off += 4;
    pb += ldb;
  }
  const r = fin && relu;
  v128.store(y, relu4(c00, r)); v128.store(y, relu4(c01, r), 16);
  v128.store(y + ldy, relu4(c10, r)); v128.store(y + ldy, relu4(c11, r), 16);
  v128.store(y + 2 * ldy, relu4(c20, r)); v128.store(y + 2 * ldy, relu4(c21, r), 16);
  v128.store(y + 3 * ldy, relu4(c30, r)); v128.store(y + 3 * ldy, relu4(c31, r), 16);
}

// @ts-ignore: decorator
@inline function tile4x4(a: usize, lda: usize, b: usize, ldb: usize, y: usize, ldy: usize, k: i32, c: usize, j: i32, acc: bool, fin: bool, relu: bool): void {
  let c0: v128, c1: v128, c2: v128, c3: v128;
  if (acc) {
    c0 = v128.load(y); c1 = v128.load(y + ldy); c2 = v128.load(y + 2 * ldy); c3 = v128.load(y + 3 * ldy);
  } else {
    c0 = init4(c, j); c1 = c0; c2 = c0; c3 = c0;
  }
  let pb = b;
  for (let p = 0; p < k; p++) {
    const o = <usize>p << 2;
    const b0 = v128.load(pb);
    c0 = madd(v128.load32_splat(a + o), b0, c0);
    c1 = madd(v128.load32_splat(a + lda + o), b0, c1);
    c2 = madd(v128.load32_splat(a + 2 * lda + o), b0, c2);
    c3 = madd(v128.load32_splat(a + 3 * lda + o), b0, c3);
    pb += ldb;
  }
  const r = fin && relu;
  v128.store(y, relu4(c0, r));
  v128.store(y + ldy, relu4(c1, r));
  v128.store(y + 2 * ldy, relu4(c2, r));
  v128.store(y + 3 * ldy, relu4(c3, r));
}

// @ts-ignore: decorator
@inline function tile4x1(a: usize, lda: usize, b: usize, ldb: usize, y: usize, ldy: usize, k: i32, c: usize, j: i32, acc: bool, fin: bool, relu: bool): void {
  let c0: f32, c1: f32, c2: f32, c3: f32;
  if (acc) {
    c0 = load<f32>(y); c1 = load<f32>(y + ldy); c2 = load<f32>(y + 2 * ldy); c3 = load<f32>(y + 3 * ldy);
  } else {
    c0 = init1(c, j); c1 = c0; c2 = c0; c3 = c0;
  }
  let pb = b;
  for (let p = 0; p < k; p++) {
    const o = <usize>p << 2;
    const bv = load<f32>(pb);
    c0 += load<f32>(a + o) * bv;
    c1 += load<f32>(a + lda + o) * bv;
    c2 += load<f32>(a + 2 * lda + o) * bv;
    c3 += load<f32>(a + 3 * lda + o) * bv;
    pb += ldb;
  }
  const r = fin && relu;
  store<f32>(y, relu1(c0, r));
  store<f32>(y + ldy, relu1(c1, r));
  store<f32>(y + 2 * ldy, relu1(c2, r));
  store<f32>(y + 3 * ldy, relu1(c3, r));
}

// @ts-ignore: decorator
@inline function tile1x8(a: usize, b: usize, ldb: usize, y: usize, k: i32, c: usize, j: i32, acc: bool, fin: bool, relu: bool): void {
  let c0: v128, c1: v128;
  if (acc) {
    c0 = v128.load(y); c1 = v128.load(y, 16);
  } else {
    c0 = init4(c, j); c1 = init4(c, j + 4);
  }
  let pb = b;
  for (let p = 0; p < k; p++) {
    const s = v128.load32_splat(a + (<usize>p << 2));
    c0 = madd(s, v128.load(pb), c0);
    c1 = madd(s, v128.load(pb, 16), c1);
    pb += ldb;
  }
  const r = fin && relu;
  v128.store(y, relu4(c0, r));
  v128.store(y, relu4(c1, r), 16);
}

// @ts-ignore: decorator
@inline function tile1x4(a: usize, b: usize, ldb: usize, y: usize, k: i32, c: usize, j: i32, acc: bool, fin: bool, relu: bool): void {
  let c0 = acc ? v128.load(y) : init4(c, j);
  let pb = b;
  for (let p = 0; p < k; p++) {
    c0 = madd(v128.load32_splat(a + (<usize>p << 2)), v128.load(pb), c0);
    pb += ldb;
  }
  v128.store(y, relu4(c0, fin && relu));
}

// @ts-ignore: decorator
@inline function tile1x1(a: usize, b: usize, ldb: usize, y: usize, k: i32, c: usize, j: i32, acc: bool, fin: bool, relu: bool): void {
  let c0 = acc ? load<f32>(y) : init1(c, j);
  let pb = b;
  for (let p = 0; p < k; p++) {
    c0 += load<f32>(a + (<usize>p << 2)) * load<f32>(pb);
    pb += ldb;
  }
  store<f32>(y, relu1(c0, fin && relu));
}

/**
 * Rows of b per k panel: one 4×8 tile sweeps 128 × 8 × 4 bytes = 4 KiB of b (L1) and a 4 × 128 strip
 * of a; measured best among 64..512 on 256×512×512 and 512³ (≈32 GFLOP/s against 28 unsplit).
 */
const KC: i32 = 128;
/** Rows of a per row block: the k panel of b (KC × n, 256 KiB at n = 512: L2) is reused over them. */
const MC: i32 = 64;

// One k panel [p0, p0 + kc) of rows [r0, r1): y (+)= a[:, p0:p0+kc] · b[p0:p0+kc, :].
function gemmPanel(a: usize, lda: usize, b: usize, ldb: usize, c: usize, y: usize, ldy: usize, kc: i32, n: i32, r0: i32, r1: i32, acc: bool, fin: bool, relu: bool): void {
  let i = r0;
  for (; i + 4 <= r1; i += 4) {
    const ai = a + <usize>i * lda;
    const yi = y + <usize>i * ldy;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const o = <usize>j << 2;
      tile4x8(ai, lda, b + o, ldb, yi + o, ldy, kc, c, j, acc, fin, relu);
    }
    if (j + 4 <= n) {
      const o = <usize>j << 2;
      tile4x4(ai, lda, b + o, ldb, yi + o, ldy, kc, c, j, acc, fin, relu);
      j += 4;
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      tile4x1(ai, lda, b + o, ldb, yi + o, ldy, kc, c, j, acc, fin, relu);
    }
  }
  for (; i < r1; i++) {
    const ai = a + <usize>i * lda;
    const yi = y + <usize>i * ldy;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const o = <usize>j << 2;
      tile1x8(ai, b + o, ldb, yi + o, kc, c, j, acc, fin, relu);
    }
    if (j + 4 <= n) {
      const o = <usize>j << 2;
      tile1x4(ai, b + o, ldb, yi + o, kc, c, j, acc, fin, relu);
      j += 4;
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      tile1x1(ai, b + o, ldb, yi + o, kc, c, j, acc, fin, relu);
    }
  }
}

// Strided GEMM over rows [r0, r1): y = a·b (+ c) (ReLU). Strides in bytes.
function gemmRows(a: usize, lda: usize, b: usize, ldb: usize, c: usize, y: usize, ldy: usize, k: i32, n: i32, relu: bool, r0: i32, r1: i32): void {
  if (r1 <= r0 || n <= 0) return;
  if (k <= 0) {
    // No products: y = bias (or 0), then ReLU.
    for (let i = r0; i < r1; i++) {
      const yi = y + <usize>i * ldy;
      for (let j = 0; j < n; j++) store<f32>(yi + (<usize>j << 2), relu1(init1(c, j), relu));
    }
    return;
  }
  for (let i0 = r0; i0 < r1; i0 += MC) {
    const i1 = min(i0 + MC, r1);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      const po = <usize>p0 << 2;
      gemmPanel(a + po, lda, b + <usize>p0 * ldb, ldb, c, y, ldy, kc, n, i0, i1, p0 > 0, p0 + kc >= k, relu);
    }
  }
}

/**
 * y[m×n] = a[m×k]·b[k×n] (+ bias[n] when bias != 0) (ReLU when relu != 0), rows [rowStart, rowEnd)
 * only. y must not overlap a, b or bias.
 */
export function f32_gemm(a: usize, b: usize, bias: usize, y: usize, m: i32, k: i32, n: i32, relu: i32, rowStart: i32, rowEnd: i32): void {
  const r0 = max(rowStart, 0);
  const r1 = min(rowEnd, m);
  const lda = <usize>k << 2;
  const ldb = <usize>n << 2;
  gemmRows(a, lda, b, ldb, bias, y, ldb, k, n, relu != 0, r0, r1);
}

/** Rows per fused block of the low-rank projection: t for these rows stays in L1 while V is applied. */
const LR_ROWS: i32 = 16;

/**
 * Fused low-rank projection y = (x·U)·V (+ bias) over rows [rowStart, rowEnd): x[m×d], U[d×r],
 * V[r×n], t = scratch of m×r floats (row i of x·U goes to row i of t, so disjoint row ranges never
 * share scratch). Computed per block of LR_ROWS rows so t is reused while hot.
 */
export function f32_lowrank(x: usize, u: usize, v: usize, bias: usize, y: usize, t: usize, m: i32, d: i32, r: i32, n: i32, rowStart: i32, rowEnd: i32): void {
  const r0 = max(rowStart, 0);
  const r1 = min(rowEnd, m);
  const ldx = <usize>d << 2;
  const ldt = <usize>r << 2;
  const ldy = <usize>n << 2;
  for (let i0 = r0; i0 < r1; i0 += LR_ROWS) {
    const i1 = min(i0 + LR_ROWS, r1);
    gemmRows(x, ldx, u, ldt, 0, t, ldt, d, r, false, i0, i1);
    gemmRows(t, ldt, v, ldy, bias, y, ldy, r, n, false, i0, i1);
  }
}

// Sum of the four lanes.
// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline function dotRow(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(ZERO_F32);
  let s1 = s0;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const o = <usize>j << 2;
    s0 = madd(v128.load(a + o), v128.load(b + o), s0);
    s1 = madd(v128.load(a + o, 16), v128.load(b + o, 16), s1);
  }
  if (j + 4 <= n) {
    const o = <usize>j << 2;
    s0 = madd(v128.load(a + o), v128.load(b + o), s0);
    j += 4;
  }
  let s = hsum(f32x4.add(s0, s1));
  for (; j < n; j++) {
    const o = <usize>j << 2;
    s += load<f32>(a + o) * load<f32>(b + o);
  }
  return s;
}

/** y_i = x_i / max(||x_i||, eps) for the m rows of x[m×n]; y may equal x (in place). */
export function f32_l2normalize_rows(x: usize, y: usize, m: i32, n: i32, eps: f32): void {
  for (let i = 0; i < m; i++) {
    const xi = x + <usize>i * (<usize>n << 2);
    const yi = y + <usize>i * (<usize>n << 2);
    const norm = sqrt<f32>(dotRow(xi, xi, n));
    const den = max<f32>(norm, eps);
    const vd = f32x4.splat(den);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(yi + o, f32x4.div(v128.load(xi + o), vd));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(yi + o, load<f32>(xi + o) / den);
    }
  }
}

/** y[i] = <a_i, b_i> / (max(||a_i||, eps) · max(||b_i||, eps)) for the m rows of a, b [m×n]. */
export function f32_cosine_rows(a: usize, b: usize, y: usize, m: i32, n: i32, eps: f32): void {
  for (let i = 0; i < m; i++) {
    const o = <usize>i * (<usize>n << 2);
    const ai = a + o;
    const bi = b + o;
    let sab = f32x4.splat(ZERO_F32);
    let saa = sab;
    let sbb = sab;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q = <usize>j << 2;
      const va = v128.load(ai + q);
      const vb = v128.load(bi + q);
      sab = madd(va, vb, sab);
      saa = madd(va, va, saa);
      sbb = madd(vb, vb, sbb);
    }
    let dab = hsum(sab);
    let daa = hsum(saa);
    let dbb = hsum(sbb);
    for (; j < n; j++) {
      const q = <usize>j << 2;
      const ea = load<f32>(ai + q);
      const eb = load<f32>(bi + q);
      dab += ea * eb;
      daa += ea * ea;
      dbb += eb * eb;
    }
    const den = max<f32>(sqrt<f32>(daa), eps) * max<f32>(sqrt<f32>(dbb), eps);
    store<f32>(y + (<usize>i << 2), dab / den);
  }
}

// Operand table of the roofline probe: 72 small floats (288 bytes, L1-resident).
const ROOF: usize = memory.data<f32>([0.001, 0.008, 0.002, 0.009, 0.003, 0.010, 0.004, 0.011, 0.005, 0.012, 0.006, 0.013, 0.007, 0.001, 0.008, 0.002, 0.009, 0.003, 0.010, 0.004, 0.011, 0.005, 0.012, 0.006, 0.013, 0.007, 0.001, 0.008, 0.002, 0.009, 0.003, 0.010, 0.004, 0.011, 0.005, 0.012, 0.006, 0.013, 0.007, 0.001, 0.008, 0.002, 0.009, 0.003, 0.010, 0.004, 0.011, 0.005, 0.012, 0.006, 0.013, 0.007, 0.001, 0.008, 0.002, 0.009, 0.003, 0.010, 0.004, 0.011, 0.005, 0.012, 0.006, 0.013, 0.007, 0.001, 0.008, 0.002, 0.009, 0.003, 0.010, 0.004]);

/**
 * Roofline probe of the GEMM microkernel's instruction mix: 8 independent f32x4 accumulators
 * (a 4×8 tile, register-resident), each iteration 4 splat loads and 2 v128 loads from a 288-byte
 * L1-resident table at an offset that rotates with the iteration (so nothing is loop-invariant),
 * then 8 mul + 8 add. Bound by SIMD throughput, not memory or latency. Performs iters × 64 flops
 * (2 per lane per mul+add); returns a value that depends on every iteration.
 */
export function f32_roofline(iters: i32): f32 {
  let c00 = f32x4.splat(ZERO_F32);
  let c01 = c00; let c10 = c00; let c11 = c00; let c20 = c00; let c21 = c00; let c30 = c00; let c31 = c00;
  for (let i = 0; i < iters; i++) {
    const p = ROOF + (<usize>(i & 7) << 2);
    const b0 = v128.load(p);
    const b1 = v128.load(p, 16);
    let s = v128.load32_splat(p, 128);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(p, 132);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(p, 136);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(p, 140);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
  }
  return hsum(f32x4.add(f32x4.add(f32x4.add(c00, c01), f32x4.add(c10, c11)), f32x4.add(f32x4.add(c20, c21), f32x4.add(c30, c31))));
}
