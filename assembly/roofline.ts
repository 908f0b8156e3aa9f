// The int8 roofline of baseline WASM SIMD: the best rate the conv kernel's instruction mix
// (i32x4.dot_i16x8_s + i32x4.add into independent accumulators, operands from L1) can reach.
// The bench takes the maximum over the variants below (accumulator counts, interleavings, operands
// from loads or rotated in registers), so a kernel above it is a measurement fault, not a kernel
// faster than its ceiling. Every variant's operands change with the iteration (loads at a rotating
// offset of a 256-byte table, or registers stepped by an add), so no engine can hoist a dot out of
// the loop. Each returns a sum that depends on every iteration, so the loop cannot be dropped.
// Work: iters × ROOFLINE_DOTS[variant] dots × 8 MACs × 2 ops (bench/int8Roofline.ts).

// 128 small int16 operands (256 bytes, L1-resident).
const TABLE: usize = memory.data<i16>([
  3, -7, 11, -2, 5, 9, -13, 4, -6, 8, 1, -10, 12, -3, 7, -9, 2, 6, -11, 13, -4, 10, -1, -8, 9, -5, 3, 11, -12, 4, -7, 6,
  -2, 5, 8, -13, 1, -6, 10, 7, -9, 12, -3, 2, 11, -10, 4, -1, 6, -8, 13, 3, -5, 9, -12, 1, 7, -4, 10, -11, 5, 2, -6, 8,
  11, -3, 4, 9, -7, 1, 12, -2, -10, 6, 3, -13, 8, 5, -1, 10, -9, 7, 2, -4, 13, -6, 1, 11, -8, 4, 9, -12, 3, -5, 6, 10,
  -11, 2, 7, -1, 5, 12, -9, 8, -3, 13, 4, -7, 10, 1, -6, 11, -2, 9, -13, 3, 6, -10, 8, 5, -4, 12, -1, 7, 2, -8, 11, -5,
]);

// @ts-ignore: decorator
@inline function dot(acc: v128, x: v128, w: v128): v128 {
  return i32x4.add(acc, i32x4.dot_i16x8_s(x, w));
}

// @ts-ignore: decorator
@inline function hsum(s: v128): i32 {
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
}

// @ts-ignore: decorator
@inline function row(i: i32): usize {
  return TABLE + (<usize>(i & 7) << 2);
}

/** 4 accumulators: 2 input splats × 2 weight vectors per iteration. */
function loads2x2(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0;
  for (let i = 0; i < iters; i++) {
    const p = row(i);
    const w0 = v128.load(p), w1 = v128.load(p, 16);
    let x = v128.load32_splat(p, 128);
    a0 = dot(a0, x, w0); a1 = dot(a1, x, w1);
    x = v128.load32_splat(p, 132);
    a2 = dot(a2, x, w0); a3 = dot(a3, x, w1);
  }
  return hsum(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)));
}

/** 8 accumulators: the conv kernel's 4-pixel × 8-channel tile (4 splats × 2 weight vectors). */
function loads4x2(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    const p = row(i);
    const w0 = v128.load(p), w1 = v128.load(p, 16);
    let x = v128.load32_splat(p, 128);
    a0 = dot(a0, x, w0); a1 = dot(a1, x, w1);
    x = v128.load32_splat(p, 132);
    a2 = dot(a2, x, w0); a3 = dot(a3, x, w1);
    x = v128.load32_splat(p, 136);
    a4 = dot(a4, x, w0); a5 = dot(a5, x, w1);
    x = v128.load32_splat(p, 140);
    a6 = dot(a6, x, w0); a7 = dot(a7, x, w1);
  }
  return hsum(i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7))));
}

/** 12 accumulators: 6 splats × 2 weight vectors. */
function loads6x2(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
  for (let i = 0; i < iters; i++) {
    const p = row(i);
    const w0 = v128.load(p), w1 = v128.load(p, 16);
    let x = v128.load32_splat(p, 128);
    a0 = dot(a0, x, w0); a1 = dot(a1, x, w1);
    x = v128.load32_splat(p, 132);
    a2 = dot(a2, x, w0); a3 = dot(a3, x, w1);
    x = v128.load32_splat(p, 136);
    a4 = dot(a4, x, w0); a5 = dot(a5, x, w1);
    x = v128.load32_splat(p, 140);
    a6 = dot(a6, x, w0); a7 = dot(a7, x, w1);
    x = v128.load32_splat(p, 144);
    a8 = dot(a8, x, w0); a9 = dot(a9, x, w1);
    x = v128.load32_splat(p, 148);
    a10 = dot(a10, x, w0); a11 = dot(a11, x, w1);
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return hsum(i32x4.add(s, i32x4.add(i32x4.add(a8, a9), i32x4.add(a10, a11))));
}

/** 8 accumulators, interleaved otherwise: every load first, then the 8 dots, then the 8 adds. */
function loads4x2Grouped(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    const p = row(i);
    const w0 = v128.load(p), w1 = v128.load(p, 16);
    const x0 = v128.load32_splat(p, 128), x1 = v128.load32_splat(p, 132);
    const x2 = v128.load32_splat(p, 136), x3 = v128.load32_splat(p, 140);
    const d0 = i32x4.dot_i16x8_s(x0, w0), d1 = i32x4.dot_i16x8_s(x0, w1);
    const d2 = i32x4.dot_i16x8_s(x1, w0), d3 = i32x4.dot_i16x8_s(x1, w1);
    const d4 = i32x4.dot_i16x8_s(x2, w0), d5 = i32x4.dot_i16x8_s(x2, w1);
    const d6 = i32x4.dot_i16x8_s(x3, w0), d7 = i32x4.dot_i16x8_s(x3, w1);
    a0 = i32x4.add(a0, d0); a1 = i32x4.add(a1, d1); a2 = i32x4.add(a2, d2); a3 = i32x4.add(a3, d3);
    a4 = i32x4.add(a4, d4); a5 = i32x4.add(a5, d5); a6 = i32x4.add(a6, d6); a7 = i32x4.add(a7, d7);
  }
  return hsum(i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7))));
}

/** 8 accumulators, the 4×2 tile unrolled twice (16 dots per iteration: less loop overhead per dot). */
function loads4x2Unrolled(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    let p = row(i);
    for (let u = 0; u < 2; u++) {
      const w0 = v128.load(p), w1 = v128.load(p, 16);
      let x = v128.load32_splat(p, 128);
      a0 = dot(a0, x, w0); a1 = dot(a1, x, w1);
      x = v128.load32_splat(p, 132);
      a2 = dot(a2, x, w0); a3 = dot(a3, x, w1);
      x = v128.load32_splat(p, 136);
      a4 = dot(a4, x, w0); a5 = dot(a5, x, w1);
      x = v128.load32_splat(p, 140);
      a6 = dot(a6, x, w0); a7 = dot(a7, x, w1);
      p += 32;
    }
  }
  return hsum(i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7))));
}

/** 8 accumulators, operands in registers, each stepped by one add per iteration (no loads). */
function registers4x2(iters: i32): i32 {
  let x0 = v128.load(TABLE, 64), x1 = v128.load(TABLE, 80);
  let w0 = v128.load(TABLE, 96), w1 = v128.load(TABLE, 112);
  const step = i16x8.splat(1);
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    a0 = dot(a0, x0, w0); a1 = dot(a1, x0, w1);
    a2 = dot(a2, x1, w0); a3 = dot(a3, x1, w1);
    x0 = i16x8.add(x0, step); w0 = i16x8.sub(w0, step);
    a4 = dot(a4, x0, w1); a5 = dot(a5, x1, w0);
    a6 = dot(a6, x0, w0); a7 = dot(a7, x1, w1);
    x1 = i16x8.add(x1, step); w1 = i16x8.sub(w1, step);
  }
  return hsum(i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7))));
}

/**
 * Runs roofline variant `variant` for `iters` iterations: 0: 4 accumulators (2×2 tile, loads);
 * 1: 8 (4×2, the conv tile); 2: 12 (6×2); 3: 8, loads, dots and adds grouped; 4: 8, operands in
 * registers; 5: 8, the 4×2 tile unrolled twice. Dots per iteration: 4, 8, 12, 8, 8, 16. An unknown
 * variant runs variant 1.
 */
export function qs8_roofline(iters: i32, variant: i32): i32 {
  if (variant == 0) return loads2x2(iters);
  if (variant == 2) return loads6x2(iters);
  if (variant == 3) return loads4x2Grouped(iters);
  if (variant == 4) return registers4x2(iters);
  if (variant == 5) return loads4x2Unrolled(iters);
  return loads4x2(iters);
}
