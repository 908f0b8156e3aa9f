/**
 * Validated wrappers of the f32 kernel family (assembly/f32.ts): GEMM with bias and ReLU, the fused
 * low-rank projection, row L2-normalisation, row cosine similarity and the f32 roofline probe.
 *
 * The `*At` forms work on arena regions with no copy (the runtime's hot path) and take the project's
 * row range (`rowStart`, `rowEnd`) so a thread pool can split rows; the array forms copy through
 * arena scratch that is freed whatever happens. Every shape, dtype, range and buffer is checked here:
 * bad input throws a {@link KapriError} (`InvalidShape` for dtypes and lengths, `InvalidArgument` for
 * scalars, row ranges and regions) and never reaches wasm.
 *
 * @example
 * const k = await loadKernels();
 * const y = gemmF32(k, a, b, { m: 2, k: 3, n: 4 }, { bias, relu: true });
 */
import { kapriError } from '../core/errors.js';
import type { Region } from './arena.js';
import type { KernelModule } from './loader.js';
import { withScratch } from './qs8Quantize.js';
import type { GemmDims, LowRankDims } from './reference/f32.js';
import { checkCount, checkDtype, checkInArena, checkLength } from './validate.js';

export type { GemmDims, LowRankDims } from './reference/f32.js';

/** Rows [rowStart, rowEnd) of the output to compute (default: all of them). */
export interface RowRange {
  readonly rowStart?: number;
  readonly rowEnd?: number;
}

/** Options of the region GEMM: ReLU after the bias, and the row range. */
export interface GemmAtOptions extends RowRange {
  readonly relu?: boolean;
}

/** Options of the copying GEMM. */
export interface GemmOptions {
  /** Added to every row (length n). */
  readonly bias?: Float32Array;
  /** Applies max(0, ·) after the bias. */
  readonly relu?: boolean;
}

/** Options of the copying low-rank projection. */
export interface LowRankOptions {
  /** Added to every output row (length n). */
  readonly bias?: Float32Array;
}

/** The default eps of the normalising kernels. */
export const DEFAULT_NORM_EPS = 1e-12;

const F32 = 4;

/** A dimension: a non-negative integer that fits the kernels' i32 arguments. */
const checkDim = (name: string, v: number): void => {
  checkCount(name, v);
  if (v > 0x7fffffff)
    throw kapriError('InvalidArgument', `${name} must be below 2^31, got ${String(v)}`, { name, value: v });
};

const checkDims = (dims: Readonly<Record<string, number>>, names: readonly string[]): void => {
  if (typeof dims !== 'object' || dims === null)
    throw kapriError('InvalidArgument', `dims must be an object with ${names.join(', ')}`);
  for (const n of names) checkDim(n, dims[n] as number);
};

const checkRows = (m: number, opts: RowRange): [number, number] => {
  const rowStart = opts.rowStart ?? 0;
  const rowEnd = opts.rowEnd ?? m;
  if (!Number.isInteger(rowStart) || !Number.isInteger(rowEnd) || rowStart < 0 || rowStart > rowEnd || rowEnd > m) {
    throw kapriError(
      'InvalidArgument',
      `row range must be integers with 0 <= rowStart <= rowEnd <= m = ${m}, got [${String(rowStart)}, ${String(rowEnd)})`,
      {
        rowStart,
        rowEnd,
        m,
      },
    );
  }
  return [rowStart, rowEnd];
};

const checkEps = (eps: number): void => {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || !(Math.fround(eps) > 0)) {
    throw kapriError(
      'InvalidArgument',
      `eps must be a finite number > 0 representable in float32, got ${String(eps)}`,
      { eps },
    );
  }
};

/** Two byte ranges written/read by one call must not overlap (empty ranges never do). */
const checkDisjoint = (an: string, a: Region, ab: number, bn: string, b: Region, bb: number): void => {
  if (ab > 0 && bb > 0 && a.ptr < b.ptr + bb && b.ptr < a.ptr + ab) {
    throw kapriError('InvalidArgument', `${an} and ${bn} overlap; the output must not alias an input`, {
      [an]: a.ptr,
      [bn]: b.ptr,
    });
  }
};

/**
 * y[m×n] = a[m×k]·b[k×n] (+ bias[n]) (ReLU) on arena regions, rows [rowStart, rowEnd) only
 * (row-major, no copy). `bias` may be null. y must not overlap a, b or bias.
 */
export const gemmF32At = (
  k: KernelModule,
  a: Region,
  b: Region,
  bias: Region | null,
  y: Region,
  dims: GemmDims,
  opts: GemmAtOptions = {},
): void => {
  checkDims(dims as unknown as Record<string, number>, ['m', 'k', 'n']);
  const { m, n } = dims;
  const kk = dims.k;
  const [r0, r1] = checkRows(m, opts);
  checkInArena(k.arena, 'a', a, m * kk * F32);
  checkInArena(k.arena, 'b', b, kk * n * F32);
  checkInArena(k.arena, 'y', y, m * n * F32);
  if (bias !== null) checkInArena(k.arena, 'bias', bias, n * F32);
  checkDisjoint('y', y, m * n * F32, 'a', a, m * kk * F32);
  checkDisjoint('y', y, m * n * F32, 'b', b, kk * n * F32);
  if (bias !== null) checkDisjoint('y', y, m * n * F32, 'bias', bias, n * F32);
  k.exports.f32_gemm(a.ptr, b.ptr, bias === null ? 0 : bias.ptr, y.ptr, m, kk, n, opts.relu ? 1 : 0, r0, r1);
};

/** y = a·b (+ bias) (ReLU) of row-major Float32Arrays a[m×k], b[k×n] (copying through the arena). */
export const gemmF32 = (
  k: KernelModule,
  a: Float32Array,
  b: Float32Array,
  dims: GemmDims,
  opts: GemmOptions = {},
): Float32Array => {
  checkDims(dims as unknown as Record<string, number>, ['m', 'k', 'n']);
  const { m, n } = dims;
  const kk = dims.k;
  checkDtype('a', a, Float32Array);
  checkDtype('b', b, Float32Array);
  checkLength('a', a.length, m * kk, `m×k = ${m}×${kk}`);
  checkLength('b', b.length, kk * n, `k×n = ${kk}×${n}`);
  const bias = opts.bias;
  if (bias !== undefined) {
    checkDtype('bias', bias, Float32Array);
    checkLength('bias', bias.length, n, 'n');
  }
  return withScratch(
    k,
    [a.length * F32, b.length * F32, m * n * F32, bias === undefined ? 0 : n * F32],
    ([ra, rb, ry, rc]) => {
      k.arena.f32(ra!, a.length).set(a);
      k.arena.f32(rb!, b.length).set(b);
      if (bias !== undefined) k.arena.f32(rc!, n).set(bias);
      gemmF32At(k, ra!, rb!, bias === undefined ? null : rc!, ry!, dims, { relu: opts.relu ?? false });
      return k.arena.f32(ry!, m * n).slice();
    },
  );
};

/**
 * Fused low-rank projection y[m×n] = (x[m×d]·U[d×r])·V[r×n] (+ bias[n]) on arena regions, rows
 * [rowStart, rowEnd) only. `t` is scratch of m×r floats (row i of x·U lands in row i of t, so
 * workers on disjoint row ranges can share it). y and t must not overlap each other or any input.
 */
export const lowRankF32At = (
  k: KernelModule,
  x: Region,
  u: Region,
  v: Region,
  bias: Region | null,
  y: Region,
  t: Region,
  dims: LowRankDims,
  opts: RowRange = {},
): void => {
  checkDims(dims as unknown as Record<string, number>, ['m', 'd', 'r', 'n']);
  const { m, d, r, n } = dims;
  const [r0, r1] = checkRows(m, opts);
  const sizes: [string, Region | null, number][] = [
    ['x', x, m * d * F32],
    ['u', u, d * r * F32],
    ['v', v, r * n * F32],
    ['bias', bias, n * F32],
  ];
  for (const [name, reg, bytes] of sizes) if (reg !== null) checkInArena(k.arena, name, reg, bytes);
  checkInArena(k.arena, 'y', y, m * n * F32);
  checkInArena(k.arena, 't', t, m * r * F32);
  checkDisjoint('y', y, m * n * F32, 't', t, m * r * F32);
  for (const [name, reg, bytes] of sizes) {
    if (reg === null) continue;
    checkDisjoint('y', y, m * n * F32, name, reg, bytes);
    checkDisjoint('t', t, m * r * F32, name, reg, bytes);
  }
  k.exports.f32_lowrank(x.ptr, u.ptr, v.ptr, bias === null ? 0 : bias.ptr, y.ptr, t.ptr, m, d, r, n, r0, r1);
};

/** y = (x·U)·V (+ bias) of row-major Float32Arrays x[m×d], U[d×r], V[r×n] (copying through the arena). */
export const lowRankF32 = (
  k: KernelModule,
  x: Float32Array,
  u: Float32Array,
  v: Float32Array,
  dims: LowRankDims,
  opts: LowRankOptions = {},
): Float32Array => {
  checkDims(dims as unknown as Record<string, number>, ['m', 'd', 'r', 'n']);
  const { m, d, r, n } = dims;
  checkDtype('x', x, Float32Array);
  checkDtype('u', u, Float32Array);
  checkDtype('v', v, Float32Array);
  checkLength('x', x.length, m * d, `m×d = ${m}×${d}`);
  checkLength('u', u.length, d * r, `d×r = ${d}×${r}`);
  checkLength('v', v.length, r * n, `r×n = ${r}×${n}`);
  const bias = opts.bias;
  if (bias !== undefined) {
    checkDtype('bias', bias, Float32Array);
    checkLength('bias', bias.length, n, 'n');
  }
  const sizes = [x.length, u.length, v.length, bias === undefined ? 0 : n, m * n, m * r].map((s) => s * F32);
  return withScratch(k, sizes, ([rx, ru, rv, rc, ry, rt]) => {
    k.arena.f32(rx!, x.length).set(x);
    k.arena.f32(ru!, u.length).set(u);
    k.arena.f32(rv!, v.length).set(v);
    if (bias !== undefined) k.arena.f32(rc!, n).set(bias);
    lowRankF32At(k, rx!, ru!, rv!, bias === undefined ? null : rc!, ry!, rt!, dims);
    return k.arena.f32(ry!, m * n).slice();
  });
};

/**
 * y_i = x_i / max(‖x_i‖, eps) for the m rows of x[m×n] on arena regions. y may be x itself (in
 * place) but must not partially overlap it.
 */
export const l2NormalizeRowsF32At = (
  k: KernelModule,
  x: Region,
  y: Region,
  m: number,
  n: number,
  eps = DEFAULT_NORM_EPS,
): void => {
  checkDim('m', m);
  checkDim('n', n);
  checkEps(eps);
  checkInArena(k.arena, 'x', x, m * n * F32);
  checkInArena(k.arena, 'y', y, m * n * F32);
  if (x.ptr !== y.ptr) checkDisjoint('y', y, m * n * F32, 'x', x, m * n * F32);
  k.exports.f32_l2normalize_rows(x.ptr, y.ptr, m, n, eps);
};

/** Row-wise L2 normalisation of a row-major Float32Array x[m×n] (copying through the arena). */
export const l2NormalizeRowsF32 = (
  k: KernelModule,
  x: Float32Array,
  m: number,
  n: number,
  eps = DEFAULT_NORM_EPS,
): Float32Array => {
  checkDim('m', m);
  checkDim('n', n);
  checkDtype('x', x, Float32Array);
  checkLength('x', x.length, m * n, `m×n = ${m}×${n}`);
  checkEps(eps);
  return withScratch(k, [x.length * F32], ([rx]) => {
    k.arena.f32(rx!, x.length).set(x);
    l2NormalizeRowsF32At(k, rx!, rx!, m, n, eps);
    return k.arena.f32(rx!, x.length).slice();
  });
};

/**
 * y[i] = ⟨a_i, b_i⟩ / (max(‖a_i‖, eps)·max(‖b_i‖, eps)) for the m rows of a, b [m×n] on arena
 * regions; y (m floats) must not overlap a or b.
 */
export const cosineRowsF32At = (
  k: KernelModule,
  a: Region,
  b: Region,
  y: Region,
  m: number,
  n: number,
  eps = DEFAULT_NORM_EPS,
): void => {
  checkDim('m', m);
  checkDim('n', n);
  checkEps(eps);
  checkInArena(k.arena, 'a', a, m * n * F32);
  checkInArena(k.arena, 'b', b, m * n * F32);
  checkInArena(k.arena, 'y', y, m * F32);
  checkDisjoint('y', y, m * F32, 'a', a, m * n * F32);
  checkDisjoint('y', y, m * F32, 'b', b, m * n * F32);
  k.exports.f32_cosine_rows(a.ptr, b.ptr, y.ptr, m, n, eps);
};

/** Row-wise cosine similarity of two row-major Float32Arrays a, b [m×n] (copying through the arena). */
export const cosineRowsF32 = (
  k: KernelModule,
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  eps = DEFAULT_NORM_EPS,
): Float32Array => {
  checkDim('m', m);
  checkDim('n', n);
  checkDtype('a', a, Float32Array);
  checkDtype('b', b, Float32Array);
  checkLength('a', a.length, m * n, `m×n = ${m}×${n}`);
  checkLength('b', b.length, m * n, `m×n = ${m}×${n}`);
  checkEps(eps);
  return withScratch(k, [a.length * F32, b.length * F32, m * F32], ([ra, rb, ry]) => {
    k.arena.f32(ra!, a.length).set(a);
    k.arena.f32(rb!, b.length).set(b);
    cosineRowsF32At(k, ra!, rb!, ry!, m, n, eps);
    return k.arena.f32(ry!, m).slice();
  });
};

/** Flops one call of {@link rooflineF32} performs per iteration (8 f32x4 mul+add). */
export const ROOFLINE_F32_FLOPS_PER_ITER = 64;

/**
 * Runs the f32 roofline probe for `iters` iterations (a positive integer below 2^31) and returns its
 * work-dependent result; time it to get the throughput ceiling of the GEMM microkernel's mix.
 */
export const rooflineF32 = (k: KernelModule, iters: number): number => {
  if (!Number.isInteger(iters) || iters <= 0 || iters > 0x7fffffff) {
    throw kapriError('InvalidArgument', `iters must be an integer in [1, 2^31 - 1], got ${String(iters)}`, { iters });
  }
  return k.exports.f32_roofline(iters);
};
