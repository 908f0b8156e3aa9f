/**
 * How a pooled call's range is cut into chunks: guided self-scheduling (Polychronopoulos & Kuck),
 * each chunk a share of what is left, `remaining / (2·threads)`, down to a minimum size. Every
 * thread, the caller included, takes the next chunk from one shared counter: the caller starts at
 * once, a worker joins whenever it wakes, and the chunks near the end are small, so a worker that
 * wakes late or runs slowly holds up the call by at most one small chunk. Boundaries fall on
 * multiples of `align` items (the kernels tile four output pixels at a time) except at the end.
 *
 * @example
 * guidedChunks(256, 2, 16, 4) // Int32Array [0, 64, 112, 148, 176, 196, 212, 228, 244, 256]
 */
import { checkPositive } from './validate.js';

/**
 * The chunk boundaries of `[0, total)`: `b[0] = 0 < b[1] < … < b[c] = total`, at most `maxChunks`
 * chunks, each at least `minItems` long but the last.
 */
export const guidedChunks = (
  total: number,
  threads: number,
  minItems: number,
  maxChunks: number,
  align = 4,
): Int32Array => {
  checkPositive('total', total);
  checkPositive('threads', threads);
  checkPositive('minItems', minItems);
  checkPositive('maxChunks', maxChunks);
  checkPositive('align', align);
  // no more than maxChunks: raise the minimum until the sequence fits
  let min = Math.max(minItems, Math.ceil(total / maxChunks));
  for (;;) {
    const b = cut(total, threads, min, align);
    if (b.length - 1 <= maxChunks) {
      // set() from an array, not Int32Array.from's iteration: the pool cuts a call's chunks per call
      const out = new Int32Array(b.length);
      out.set(b);
      return out;
    }
    min *= 2;
  }
};

const cut = (total: number, threads: number, min: number, align: number): number[] => {
  const b = [0];
  let s = 0;
  while (s < total) {
    const rem = total - s;
    let size = Math.max(min, Math.ceil(rem / (2 * threads)));
    size = Math.ceil(size / align) * align;
    // a remainder shorter than half a chunk joins this one
    if (rem - size < Math.max(1, min >> 1)) size = rem;
    s += size;
    b.push(s);
  }
  return b;
};
