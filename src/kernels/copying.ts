/**
 * The copying form of a region kernel: copy an Int8Array into arena scratch, run, copy the result
 * out, and free the scratch whatever happens. The `*At` forms stay the copy-free hot path.
 */
import type { Region } from './arena.js';
import type { KernelModule } from './loader.js';
import { withScratch } from './qs8Quantize.js';
import { checkArray } from './validate.js';

/** Runs `body(xRegion, yRegion)` on a copy of `x` (checked to hold `inBytes` codes); returns `outBytes` codes. */
export const runCopying = (
  k: KernelModule,
  x: Int8Array,
  inBytes: number,
  outBytes: number,
  body: (rx: Region, ry: Region) => void,
): Int8Array => {
  checkArray('x', x, Int8Array, inBytes);
  return withScratch(k, [inBytes, outBytes], ([rx, ry]) => {
    k.arena.i8(rx!, inBytes).set(x);
    body(rx!, ry!);
    return k.arena.i8(ry!, outBytes).slice();
  });
};

/** Plans, runs once and disposes, whatever happens. */
export const oneShot = <P, R>(plan: () => P, run: (p: P) => R, dispose: (p: P) => void): R => {
  const p = plan();
  try {
    return run(p);
  } finally {
    dispose(p);
  }
};
