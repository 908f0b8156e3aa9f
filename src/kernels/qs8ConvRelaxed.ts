/**
 * The relaxed int8 path of the convolution family (assembly/qs8_conv_i7.ts): weights in the 7-bit
 * form [−64, 63], stored offset into 0..127 so that `i32x4.relaxed_dot_i8x16_i7x16_add_s` (16
 * multiply-adds per instruction, deterministic only for a second operand in 0..127) computes the
 * same exact int32 accumulator as the baseline kernel. The offset's contribution is removed through
 * a per-pixel window sum of the input shared by every output channel, and `zx·Σw` is folded into the
 * packed bias, so the outputs are bit-exact with the baseline contract (src/kernels/reference/qs8ConvI7.ts).
 *
 * The path is chosen only where the engine's known-answer probe of the accumulate-dot passes
 * (Chromium, not Node 20); in the simd and threads builds the same kernel runs with the dot
 * emulated in baseline instructions (still exact), which lets tests check it everywhere.
 */
import { kapriError } from '../core/errors.js';
import type { Region } from './arena.js';
import type { ConvGeometry, ConvLayout } from './convGeometry.js';
import type { KernelModule } from './loader.js';
import type { Runner } from './parallel.js';
import { PANEL_HEAD, writePanelHead } from './qs8Pack.js';
import { checkPlanRun, type PlanRegions } from './planRegions.js';
import { convKernelArgs } from './convKernelArgs.js';

/** The weight range of the 7-bit form. */
export const INT7_MIN = -64;
export const INT7_MAX = 63;
/** What a stored 7-bit weight is offset by (w7 = w + 64 lies in 0..127). */
export const INT7_OFFSET = 64;

/** Which kernel a conv plan runs: the baseline widening dot, or the relaxed i8·i7 dot on 7-bit weights. */
export type Qs8ConvPath = 'baseline' | 'relaxed';

/** Whether every weight lies in the 7-bit form's range [−64, 63]. */
export const isInt7Weights = (w: Int8Array): boolean => {
  for (let i = 0; i < w.length; i++) if (w[i]! < INT7_MIN || w[i]! > INT7_MAX) return false;
  return true;
};

/**
 * Whether this module computes the relaxed accumulate-dot natively and right: the relaxed build,
 * on an engine whose known-answer probe passed (Chromium 156 yes, Node 20 no).
 */
export const relaxedDotTrusted = (k: KernelModule): boolean =>
  k.build === 'relaxed' && k.capabilities.relaxedSimd.dotI8I7Add;

/** Input channels as the relaxed kernel stores them (rounded up to a multiple of 4). */
export const quadChannels = (cin: number): number => (cin + 3) & ~3;

/** Bytes of the packed 7-bit form. */
export const packedConvI7Bytes = (kh: number, kw: number, cin: number, cout: number): number =>
  Math.ceil(cout / 8) * (PANEL_HEAD + ((kh * kw * quadChannels(cin)) / 4) * 32);

/** What the 7-bit packing reads (shapes checked by the caller; weights must be 7-bit). */
export interface PackI7Input {
  readonly weights: Int8Array;
  readonly kernel: readonly [number, number];
  readonly cin: number;
  readonly cout: number;
  readonly bias: Int32Array;
  readonly multipliers: Float32Array;
  readonly xZeroPoint: number;
}

/**
 * Packs 7-bit weights into the panels of assembly/qs8_conv_i7.ts: per 8 output channels,
 * bias'[o] = bias[o] − zx·Σw[·, o] (int32, wrapping), multipliers, then per (tap, channel quad)
 * 32 bytes of w + 64. Padded channels hold 64 (w = 0) against input bytes of 0.
 */
export const packConvWeightsI7 = (p: PackI7Input): Uint8Array => {
  const [kh, kw] = p.kernel;
  const { cin, cout } = p;
  const cq = quadChannels(cin);
  const taps = kh * kw;
  const out = new Uint8Array(packedConvI7Bytes(kh, kw, cin, cout));
  const view = new DataView(out.buffer);
  const sums = new Int32Array(cout);
  for (let i = 0; i < p.weights.length; i++) {
    const v = p.weights[i]!;
    if (v < INT7_MIN || v > INT7_MAX) {
      throw kapriError('InvalidArgument', `7-bit weight ${v} at index ${i} is outside [${INT7_MIN}, ${INT7_MAX}]`, {
        value: v,
      });
    }
    sums[i % cout] = (sums[i % cout]! + v) | 0;
  }
  // bias' = bias − zx·Σw: the zero point's share of Σ (x − zx)·w, folded at load
  const folded = Int32Array.from(sums, (sw, o) => (p.bias[o]! - Math.imul(p.xZeroPoint, sw)) | 0);
  let at = 0;
  for (let o0 = 0; o0 < cout; o0 += 8) {
    writePanelHead(view, at, o0, cout, folded, p.multipliers);
    at += PANEL_HEAD;
    for (let t = 0; t < taps; t++) {
      for (let c0 = 0; c0 < cq; c0 += 4) {
        for (let oo = 0; oo < 8; oo++) {
          const o = o0 + oo;
          for (let e = 0; e < 4; e++) {
            const c = c0 + e;
            const v = o < cout && c < cin ? p.weights[(t * cin + c) * cout + o]! : 0;
            out[at + oo * 4 + e] = v + INT7_OFFSET;
          }
        }
        at += 32;
      }
    }
  }
  return out;
};

/** Byte offsets of the relaxed scratch: padded int8 image, pixel sums (i32), window sums (i32). */
export interface RelaxedScratchLayout {
  readonly sums: number;
  readonly windows: number;
  readonly bytes: number;
}

const align16 = (n: number): number => (n + 15) & ~15;

/** Where the parts of the relaxed scratch sit, for a geometry and its layout. */
export const relaxedScratchLayout = (g: ConvGeometry, layout: ConvLayout): RelaxedScratchLayout => {
  const [n, h, w, cin] = g.inShape;
  const pixels = n * (h + layout.pad.top + layout.pad.bottom) * (w + layout.pad.left + layout.pad.right);
  const sums = align16(pixels * quadChannels(cin));
  const windows = align16(sums + pixels * 4);
  return { sums, windows, bytes: windows + n * layout.oh * layout.ow * 4 };
};

/** What running the relaxed path reads of a plan. */
export interface RelaxedConvPlan extends PlanRegions {
  readonly spec: ConvGeometry & {
    readonly cout: number;
    readonly xZeroPoint: number;
    readonly yZeroPoint: number;
    readonly clamp?: readonly [number, number];
  };
  readonly layout: ConvLayout;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly macs: number;
}

/** Runs a relaxed-path plan: the raw padded image and pixel sums, then the conv (see top). */
export const runRelaxedConvAt = (
  k: KernelModule,
  plan: RelaxedConvPlan,
  x: Region,
  y: Region,
  runner: Runner,
): void => {
  checkPlanRun(k, plan, x, y, runner);
  const s = plan.spec;
  const [n, h, w, cin] = s.inShape;
  const { pad, oh, ow } = plan.layout;
  const hp = h + pad.top + pad.bottom;
  const wp = w + pad.left + pad.right;
  const cq = quadChannels(cin);
  const parts = relaxedScratchLayout(s, plan.layout);
  const xp = plan.scratch.ptr;
  const sums = xp + parts.sums;
  runner.run(
    'qs8_pad_i8',
    [x.ptr, xp, sums, h, w, cin, cq, s.xZeroPoint, pad.top, pad.bottom, pad.left, pad.right],
    n * hp,
    plan.inBytes,
  );
  runner.run(
    'qs8_conv2d_i7',
    [xp, sums, xp + parts.windows, plan.packed.ptr, y.ptr, hp, wp, cq, ...convKernelArgs(s, oh, ow)],
    n * oh * ow,
    plan.macs,
  );
};
