// The int8 roofline of the relaxed path: the best rate its instruction mix (one
// i32x4.relaxed_dot_i8x16_i7x16_add_s per 16 multiply-adds, into independent accumulators, operands
// from L1) can reach, in the shapes of assembly/qs8_conv_i7.ts's tile: a splat of 4 input bytes times
// a 16-byte weight vector. The bench takes the maximum over the variants, as for the baseline
// roofline (assembly/roofline.ts), and kapri decides from it and the baseline's whether the relaxed
// path pays on the machine at hand (src/kernels/relaxedChoice.ts): the instruction's speed depends on
// how the engine lowers it for the CPU (one VNNI instruction, or a multiply-add pair).
// Work: iters × ROOFLINE_I7_DOTS[variant] dots × 16 MACs × 2 ops. In the builds without relaxed SIMD
// the dot is the exact baseline emulation of qs8_conv_i7.ts, so the export exists everywhere.

import { dot4add } from './qs8_conv_i7';

// 256 bytes of weights in 0..127 (the i7 operand) and of inputs, filled on the first call.
const TABLE: usize = memory.data(256);
let filled = false;

function fill(): void {
  for (let i = 0; i < 256; i++) store<u8>(TABLE + i, <u8>((i * 37 + 11) & 127));
  filled = true;
}

// @ts-ignore: decorator
@inline function row(i: i32): usize {
  return TABLE + (<usize>(i & 7) << 2);
}

// @ts-ignore: decorator
@inline function hsum(s: v128): i32 {
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
}

/** 4 accumulators: 2 input splats × 2 weight vectors per iteration. */
function i7x2x2(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0;
  for (let i = 0; i < iters; i++) {
    const p = row(i);
    const w0 = v128.load(p), w1 = v128.load(p, 16);
    let x = v128.load32_splat(p, 128);
    a0 = dot4add(x, w0, a0); a1 = dot4add(x, w1, a1);
    x = v128.load32_splat(p, 132);
    a2 = dot4add(x, w0, a2); a3 = dot4add(x, w1, a3);
  }
  return hsum(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)));
}

/** 8 accumulators: the relaxed conv kernel's 4-pixel × 8-channel tile. */
function i7x4x2(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    const p = row(i);
    const w0 = v128.load(p), w1 = v128.load(p, 16);
    let x = v128.load32_splat(p, 128);
    a0 = dot4add(x, w0, a0); a1 = dot4add(x, w1, a1);
    x = v128.load32_splat(p, 132);
    a2 = dot4add(x, w0, a2); a3 = dot4add(x, w1, a3);
    x = v128.load32_splat(p, 136);
    a4 = dot4add(x, w0, a4); a5 = dot4add(x, w1, a5);
    x = v128.load32_splat(p, 140);
    a6 = dot4add(x, w0, a6); a7 = dot4add(x, w1, a7);
  }
  return hsum(i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7))));
}

/** 12 accumulators: 6 splats × 2 weight vectors. */
function i7x6x2(iters: i32): i32 {
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
  for (let i = 0; i < iters; i++) {
    const p = row(i);
    const w0 = v128.load(p), w1 = v128.load(p, 16);
    let x = v128.load32_splat(p, 128);
    a0 = dot4add(x, w0, a0); a1 = dot4add(x, w1, a1);
    x = v128.load32_splat(p, 132);
    a2 = dot4add(x, w0, a2); a3 = dot4add(x, w1, a3);
    x = v128.load32_splat(p, 136);
    a4 = dot4add(x, w0, a4); a5 = dot4add(x, w1, a5);
    x = v128.load32_splat(p, 140);
    a6 = dot4add(x, w0, a6); a7 = dot4add(x, w1, a7);
    x = v128.load32_splat(p, 144);
    a8 = dot4add(x, w0, a8); a9 = dot4add(x, w1, a9);
    x = v128.load32_splat(p, 148);
    a10 = dot4add(x, w0, a10); a11 = dot4add(x, w1, a11);
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return hsum(i32x4.add(s, i32x4.add(i32x4.add(a8, a9), i32x4.add(a10, a11))));
}

/**
 * Runs relaxed roofline variant `variant` for `iters` iterations: 0: 4 accumulators (2×2 tile);
 * 1: 8 (4×2, the relaxed conv tile); 2: 12 (6×2). Dots per iteration: 4, 8, 12, each 16
 * multiply-adds. An unknown variant runs variant 1.
 */
export function qs8_roofline_i7(iters: i32, variant: i32): i32 {
  if (!filled) fill();
  if (variant == 0) return i7x2x2(iters);
  if (variant == 2) return i7x6x2(iters);
  return i7x4x2(iters);
}
