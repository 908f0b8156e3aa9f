/**
 * Validated wrappers of the per-tensor quantize/dequantize kernels. The array forms copy through
 * arena scratch; the `*At` forms work on arena regions with no copy (the runtime's hot path).
 *
 * @example
 * const k = await loadKernels();
 * const q = quantizeF32(k, new Float32Array([0.1, -0.5]), { scale: 0.01, zeroPoint: 3 });
 */
import type { Region } from './arena.js';
import type { KernelModule } from './loader.js';
import {
  checkCount,
  checkDtype,
  checkInArena,
  checkObject,
  checkSameLength,
  checkScale,
  checkZeroPoint,
} from './validate.js';

/** Per-tensor affine quantization parameters (docs/methods.md §3). */
export interface QuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

const checkParams = (p: QuantParams): void => {
  checkObject('quantization', p);
  checkScale('scale', p.scale);
  checkZeroPoint('zeroPoint', p.zeroPoint);
};

/** Quantizes n floats at region x into int8 at region y. */
export const quantizeF32At = (k: KernelModule, x: Region, y: Region, n: number, p: QuantParams): void => {
  checkCount('n', n);
  checkParams(p);
  checkInArena(k.arena, 'x', x, n * 4);
  checkInArena(k.arena, 'y', y, n);
  k.exports.qs8_quantize_f32(x.ptr, y.ptr, n, p.scale, p.zeroPoint);
};

/** Dequantizes n int8 at region q into floats at region y. */
export const dequantizeS8At = (k: KernelModule, q: Region, y: Region, n: number, p: QuantParams): void => {
  checkCount('n', n);
  checkParams(p);
  checkInArena(k.arena, 'q', q, n);
  checkInArena(k.arena, 'y', y, n * 4);
  k.exports.qs8_dequantize_f32(q.ptr, y.ptr, n, p.scale, p.zeroPoint);
};

/** Runs `body` with scratch regions that are freed afterwards, whatever happens. */
const withScratch = <T>(k: KernelModule, sizes: readonly number[], body: (rs: Region[]) => T): T => {
  const rs: Region[] = [];
  try {
    for (const s of sizes) rs.push(k.arena.alloc(s));
    return body(rs);
  } finally {
    for (const r of rs) k.arena.free(r);
  }
};

/** Quantizes a Float32Array (copying through the arena). */
export const quantizeF32 = (k: KernelModule, x: Float32Array, p: QuantParams): Int8Array => {
  checkDtype('x', x, Float32Array);
  checkParams(p);
  return withScratch(k, [x.length * 4, x.length], ([rx, ry]) => {
    k.arena.f32(rx!, x.length).set(x);
    quantizeF32At(k, rx!, ry!, x.length, p);
    return k.arena.i8(ry!, x.length).slice();
  });
};

/** Dequantizes an Int8Array (copying through the arena). */
export const dequantizeS8 = (k: KernelModule, q: Int8Array, p: QuantParams): Float32Array => {
  checkDtype('q', q, Int8Array);
  checkParams(p);
  return withScratch(k, [q.length, q.length * 4], ([rq, ry]) => {
    k.arena.i8(rq!, q.length).set(q);
    dequantizeS8At(k, rq!, ry!, q.length, p);
    return k.arena.f32(ry!, q.length).slice();
  });
};

/** Exact int8 dot product of two equal-length Int8Arrays. */
export const dotS8 = (k: KernelModule, a: Int8Array, b: Int8Array): number => {
  checkDtype('a', a, Int8Array);
  checkDtype('b', b, Int8Array);
  checkSameLength('a', a.length, 'b', b.length);
  return withScratch(k, [a.length, b.length], ([ra, rb]) => {
    k.arena.i8(ra!, a.length).set(a);
    k.arena.i8(rb!, b.length).set(b);
    return k.exports.qs8_dot(ra!.ptr, rb!.ptr, a.length);
  });
};

export { withScratch };
