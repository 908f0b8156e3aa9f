// Exact int8·int8 dot product with int32 accumulation (wrapping, like the JS reference).
// Bytes are widened to int16 and multiplied pairwise by i32x4.dot_i16x8_s.
export function qs8_dot(a: usize, b: usize, n: i32): i32 {
  let acc0 = i32x4.splat(0);
  let acc1 = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const va = v128.load(a + <usize>i);
    const vb = v128.load(b + <usize>i);
    acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(va), i16x8.extend_low_i8x16_s(vb)));
    acc1 = i32x4.add(acc1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(va), i16x8.extend_high_i8x16_s(vb)));
  }
  const acc = i32x4.add(acc0, acc1);
  let s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; i < n; i++) {
    s += <i32>load<i8>(a + <usize>i) * <i32>load<i8>(b + <usize>i);
  }
  return s;
}
