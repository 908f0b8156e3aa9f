/** Exact int8·int8 dot with wrapping int32 accumulation. */
export const refDotS8 = (a: Int8Array, b: Int8Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = (s + a[i]! * b[i]!) | 0;
  return s;
};
