// The int8 roofline of baseline WASM SIMD: a register-resident loop of i32x4.dot_i16x8_s + add
// into 8 independent accumulators, with no memory traffic, so it runs at the dot's issue rate.
// The operands are loop-invariant: V8 does not hoist the dots (measured: the loop runs at the dot
// rate, ~66 GOPS here, where adds alone would run over twice as fast); were an engine to hoist
// them, the roofline would read high and kernels' fractions low, never the reverse.
// Work: iters × 8 dots × 8 MACs × 2 ops.

/** Runs the loop; returns a sum that depends on every iteration, so the loop cannot be dropped. */
export function qs8_roofline(iters: i32, seed: i32): i32 {
  const x0 = i16x8.splat(<i16>seed);
  const x1 = i16x8.splat(<i16>(seed + 1));
  const w0 = i16x8.splat(<i16>(seed + 3));
  const w1 = i16x8.splat(<i16>(seed - 5));
  let a0 = i32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x0, w0));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x0, w1));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x1, w0));
    a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x1, w1));
    a4 = i32x4.add(a4, i32x4.dot_i16x8_s(x0, x1));
    a5 = i32x4.add(a5, i32x4.dot_i16x8_s(w0, w1));
    a6 = i32x4.add(a6, i32x4.dot_i16x8_s(x0, x0));
    a7 = i32x4.add(a7, i32x4.dot_i16x8_s(w1, w1));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
}
