/**
 * A pooled call's range cut into one equal chunk per thread, on multiples of `align` items (the
 * kernels tile four output pixels at a time) but the last. For short calls with the workers awake:
 * the caller takes the first chunk and a worker the next within a microsecond or two, and if a
 * worker is late the caller takes its chunk too (the pool's shared counter). On the hands student's
 * 12-25 us convs, halves ran 1.55-1.8x against one thread, guided self-scheduling's smaller chunks
 * 0.6-1.6x (the stem conv, cut into many small chunks, ran slower than on one thread; stop 33): there is no late worker to hedge against, only more chunks to hand over, and
 * each thread keeps the same rows from layer to layer.
 *
 * @example
 * evenChunks(256, 2) // Int32Array [0, 128, 256]
 * evenChunks(10, 3)  // Int32Array [0, 4, 8, 10]
 */
import { checkPositive } from './validate.js';

/** `b[0] = 0 < b[1] < … < b[c] = total`, at most `threads` chunks (fewer when `total` is short). */
export const evenChunks = (total: number, threads: number, align = 4): Int32Array => {
  checkPositive('total', total);
  checkPositive('threads', threads);
  checkPositive('align', align);
  const size = Math.ceil(total / threads / align) * align;
  const b = [0];
  for (let s = size; s < total; s += size) b.push(s);
  b.push(total);
  return Int32Array.from(b);
};
