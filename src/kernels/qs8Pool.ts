/**
 * int8 max, average and global average pooling and the requantized residual add on the SIMD
 * kernels. They need no packing, so each call validates and runs directly.
 *
 * @example
 * const y = qs8MaxPool(k, x, { inShape: [1, 8, 8, 16], kernel: [2, 2], stride: [2, 2], dilation: [1, 1], padding: 'valid' });
 */
import { kapriError } from '../core/errors.js';
import type { Region } from './arena.js';
import type { ConvGeometry, ConvLayout } from './convGeometry.js';
import type { KernelModule } from './loader.js';
import { checkRunner, runCall, serialRunner, type KernelCall, type Runner } from './parallel.js';
import { checkGeometry } from './qs8Conv.js';
import { withScratch } from './qs8Quantize.js';
import { runCopying } from './copying.js';
import { addMultipliers, type AddQuant } from './reference/qs8Add.js';
import { avgPoolMultiplier, type PoolQuant } from './reference/qs8Pool.js';
import {
  checkClamp,
  checkCount,
  checkDtype,
  checkInArena,
  checkObject,
  checkSameLength,
  checkScale,
  checkZeroPoint,
  maxCodeOffset,
} from './validate.js';

const I32_MAX = 2 ** 31 - 1;
const f = Math.fround;

/** What a pooling run needs of its geometry, checked; `window` bounds the positions one output visits. */
export interface PoolLayout extends ConvLayout {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly inBytes: number;
  readonly outBytes: number;
  /** At most this many input positions fall inside one window (padding is not visited). */
  readonly window: number;
}

/** Checks a pooling geometry (what max pooling refuses). */
export const checkPoolGeometry = (g: ConvGeometry): PoolLayout => {
  const layout = checkGeometry(g);
  if (g.dilation[0] !== 1 || g.dilation[1] !== 1)
    throw kapriError('Unsupported', `pooling supports dilation 1 only, got ${g.dilation.join('×')}`);
  const [n, h, w, c] = g.inShape;
  const window = Math.min(g.kernel[0], h) * Math.min(g.kernel[1], w);
  return { ...layout, n, h, w, c, inBytes: n * h * w * c, outBytes: n * layout.oh * layout.ow * c, window };
};

/**
 * Checks an average pool (what average pooling refuses): the kernel sums codes in int32 (the
 * reference exactly), so a window must hold at most (2³¹ − 1)/255 positions, and the multipliers of
 * every window size from 1 to the largest must be normal float32.
 */
export const checkAvgPool = (g: ConvGeometry, q: PoolQuant): PoolLayout => {
  const l = checkPoolGeometry(g);
  checkObject('pool quantization', q);
  checkScale('xScale', q.xScale);
  checkScale('yScale', q.yScale);
  checkZeroPoint('xZeroPoint', q.xZeroPoint);
  checkZeroPoint('yZeroPoint', q.yZeroPoint);
  if (l.window * maxCodeOffset(q.xZeroPoint) > I32_MAX) {
    throw kapriError(
      'Unsupported',
      `an average over ${l.window} positions could overflow the int32 sum (at most ${Math.floor(I32_MAX / maxCodeOffset(q.xZeroPoint))} positions)`,
    );
  }
  // The multiplier falls as the count grows: checking both ends checks every count in between.
  checkScale('the multiplier of a one-position window', avgPoolMultiplier(q, 1));
  checkScale(`the multiplier of a ${l.window}-position window`, avgPoolMultiplier(q, l.window));
  return l;
};

/** A pooling call over regions `x` → `y` whose layout `l` was checked; `extra` arguments follow the geometry's. */
const poolCall = (
  kernel: string,
  k: KernelModule,
  g: ConvGeometry,
  l: PoolLayout,
  x: Region,
  y: Region,
  extra: readonly number[] = [],
): KernelCall => {
  checkInArena(k.arena, 'x', x, l.inBytes);
  checkInArena(k.arena, 'y', y, l.outBytes);
  const { kernel: kk, stride: st } = g;
  return {
    kernel,
    args: [x.ptr, y.ptr, l.h, l.w, l.c, kk[0], kk[1], st[0], st[1], l.pad.top, l.pad.left, l.oh, l.ow, ...extra],
    total: l.n * l.oh * l.ow,
    work: l.outBytes * l.window,
  };
};

/**
 * The kernel call of a max pooling from region `x` into region `y`, checked once: what
 * {@link qs8MaxPoolAt} runs, and what an executor's step keeps and runs on every inference.
 */
export const maxPoolCall = (k: KernelModule, g: ConvGeometry, x: Region, y: Region): KernelCall =>
  poolCall('qs8_maxpool', k, g, checkPoolGeometry(g), x, y);

/** Max pooling from region `x` into region `y`. */
export const qs8MaxPoolAt = (
  k: KernelModule,
  g: ConvGeometry,
  x: Region,
  y: Region,
  runner: Runner = serialRunner(k),
): void => {
  const call = maxPoolCall(k, g, x, y);
  checkRunner(k, runner);
  runCall(runner, call);
};

/** The kernel call of an average pooling from region `x` into region `y`, checked once (see {@link maxPoolCall}). */
export const avgPoolCall = (k: KernelModule, g: ConvGeometry, q: PoolQuant, x: Region, y: Region): KernelCall =>
  poolCall('qs8_avgpool', k, g, checkAvgPool(g, q), x, y, [q.xScale, q.yScale, q.xZeroPoint, q.yZeroPoint]);

/** Average pooling (padding not counted) from region `x` into region `y`. */
export const qs8AvgPoolAt = (
  k: KernelModule,
  g: ConvGeometry,
  q: PoolQuant,
  x: Region,
  y: Region,
  runner: Runner = serialRunner(k),
): void => {
  const call = avgPoolCall(k, g, q, x, y);
  checkRunner(k, runner);
  runCall(runner, call);
};

/** Max pooling of an Int8Array `[n, h, w, c]`. */
export const qs8MaxPool = (k: KernelModule, x: Int8Array, g: ConvGeometry, runner?: Runner): Int8Array => {
  const l = checkPoolGeometry(g);
  return runCopying(k, x, l.inBytes, l.outBytes, (rx, ry) => qs8MaxPoolAt(k, g, rx, ry, runner));
};

/** Average pooling of an Int8Array `[n, h, w, c]`. */
export const qs8AvgPool = (
  k: KernelModule,
  x: Int8Array,
  g: ConvGeometry,
  q: PoolQuant,
  runner?: Runner,
): Int8Array => {
  const l = checkPoolGeometry(g);
  return runCopying(k, x, l.inBytes, l.outBytes, (rx, ry) => qs8AvgPoolAt(k, g, q, rx, ry, runner));
};

/** The geometry of global average pooling of `[n, h, w, c]`: one h×w 'valid' window. */
export const globalPoolGeometry = (inShape: readonly [number, number, number, number]): ConvGeometry => ({
  inShape,
  kernel: [inShape[1], inShape[2]],
  stride: [1, 1],
  dilation: [1, 1],
  padding: 'valid',
});

/** Global average pooling `[n, h, w, c]` → `[n, c]`. */
export const qs8GlobalAvgPool = (
  k: KernelModule,
  x: Int8Array,
  inShape: readonly [number, number, number, number],
  q: PoolQuant,
  runner?: Runner,
): Int8Array => qs8AvgPool(k, x, globalPoolGeometry(inShape), q, runner);

/**
 * Checks an add's quantization (what the add refuses): scales, zero points, clamps, multipliers
 * that are normal float32, and a float32 sum (a − za)·ma + (b − zb)·mb that cannot overflow (an
 * Inf − Inf is NaN, which the kernel and the reference store differently).
 */
export const checkAddQuant = (q: AddQuant): void => {
  checkObject('add quantization', q);
  checkScale('aScale', q.aScale);
  checkScale('bScale', q.bScale);
  checkScale('yScale', q.yScale);
  checkZeroPoint('aZeroPoint', q.aZeroPoint);
  checkZeroPoint('bZeroPoint', q.bZeroPoint);
  checkZeroPoint('yZeroPoint', q.yZeroPoint);
  if (q.clamp !== undefined) checkClamp('clamp', q.clamp);
  const [ma, mb] = addMultipliers(q);
  checkScale('aScale / yScale', ma);
  checkScale('bScale / yScale', mb);
  if (!Number.isFinite(f(f(maxCodeOffset(q.aZeroPoint) * ma) + f(maxCodeOffset(q.bZeroPoint) * mb)))) {
    throw kapriError(
      'InvalidArgument',
      `aScale / yScale = ${ma} and bScale / yScale = ${mb} let the float32 sum overflow: the input scales must be far smaller than 3.4e38 × yScale`,
    );
  }
};

/** The kernel call of a requantized add of `n` codes at regions `a`, `b` into `y`, checked once (see {@link maxPoolCall}). */
export const addCall = (k: KernelModule, q: AddQuant, a: Region, b: Region, y: Region, n: number): KernelCall => {
  checkCount('n', n);
  checkAddQuant(q);
  checkInArena(k.arena, 'a', a, n);
  checkInArena(k.arena, 'b', b, n);
  checkInArena(k.arena, 'y', y, n);
  const [ma, mb] = addMultipliers(q);
  const [lo, hi] = q.clamp ?? [-128, 127];
  return {
    kernel: 'qs8_add',
    args: [a.ptr, b.ptr, y.ptr, q.aZeroPoint, ma, q.bZeroPoint, mb, q.yZeroPoint, lo, hi],
    total: n,
    work: n,
  };
};

/** Requantized residual add of `n` codes at regions `a`, `b` into `y`. */
export const qs8AddAt = (
  k: KernelModule,
  q: AddQuant,
  a: Region,
  b: Region,
  y: Region,
  n: number,
  runner: Runner = serialRunner(k),
): void => {
  const call = addCall(k, q, a, b, y, n);
  checkRunner(k, runner);
  runCall(runner, call);
};

/** Requantized residual add of two equal-length Int8Arrays. */
export const qs8Add = (k: KernelModule, a: Int8Array, b: Int8Array, q: AddQuant, runner?: Runner): Int8Array => {
  checkDtype('a', a, Int8Array);
  checkDtype('b', b, Int8Array);
  checkSameLength('a', a.length, 'b', b.length);
  checkAddQuant(q);
  const n = a.length;
  return withScratch(k, [n, n, n], ([ra, rb, ry]) => {
    k.arena.i8(ra!, n).set(a);
    k.arena.i8(rb!, n).set(b);
    qs8AddAt(k, q, ra!, rb!, ry!, n, runner);
    return k.arena.i8(ry!, n).slice();
  });
};
