/** int4 weights, two per byte, low nibble first (two's-complement nibbles). */
import { kapriError } from '../core/errors.js';

/** Packs int4 values (each in [−8, 7]). */
export const packInt4 = (q: Int8Array): Uint8Array => {
  const out = new Uint8Array(Math.ceil(q.length / 2));
  for (let i = 0; i < q.length; i++) {
    const v = q[i]!;
    if (v < -8 || v > 7) throw kapriError('InvalidArgument', `int4 value ${v} at ${i} is outside [−8, 7]`);
    out[i >> 1]! |= (v & 0x0f) << ((i & 1) * 4);
  }
  return out;
};

/** Unpacks `n` int4 values. */
export const unpackInt4 = (packed: Uint8Array, n: number): Int8Array => {
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const nib = (packed[i >> 1]! >> ((i & 1) * 4)) & 0x0f;
    out[i] = nib >= 8 ? nib - 16 : nib;
  }
  return out;
};
