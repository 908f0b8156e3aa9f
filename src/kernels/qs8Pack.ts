/**
 * Packs int8 (or int4) conv weights once, at load, into the panel layout of assembly/qs8_conv.ts:
 * per 8 output channels, int32 bias[8], f32 multiplier[8], then for every (ky, kx, input channel
 * pair) the 16 weights [w(k0,o0), w(k1,o0), …, w(k1,o7)] (int4: 8 bytes, value i in the low nibble
 * of byte i and value 8+i in its high nibble). Input channels round up to even, output channels
 * to a multiple of 8; the padding weighs zero.
 */
import { kapriError } from '../core/errors.js';

/** What a packed panel set holds. */
export interface PackInput {
  /** Weights `[kh, kw, cin, cout]`. */
  readonly weights: Int8Array;
  readonly kernel: readonly [number, number];
  readonly cin: number;
  readonly cout: number;
  readonly bias: Int32Array;
  readonly multipliers: Float32Array;
  readonly int4: boolean;
}

/** Bytes of the panel header (bias and multipliers). */
export const PANEL_HEAD = 64;

/** Writes the head of the panel of outputs o0..o0+7 at `at`: int32 bias[8], f32 multiplier[8], zero past `cout`. */
export const writePanelHead = (
  view: DataView,
  at: number,
  o0: number,
  cout: number,
  bias: ArrayLike<number>,
  multipliers: Float32Array,
): void => {
  for (let oo = 0; oo < 8; oo++) {
    const o = o0 + oo;
    view.setInt32(at + oo * 4, o < cout ? bias[o]! : 0, true);
    view.setFloat32(at + 32 + oo * 4, o < cout ? multipliers[o]! : 0, true);
  }
};

/** Input channels as the kernels store them (rounded up to even). */
export const paddedChannels = (cin: number): number => cin + (cin & 1);

/** Bytes of the packed form. */
export const packedConvBytes = (kh: number, kw: number, cin: number, cout: number, int4: boolean): number => {
  const kpairs = (kh * kw * paddedChannels(cin)) / 2;
  return Math.ceil(cout / 8) * (PANEL_HEAD + kpairs * (int4 ? 8 : 16));
};

/** Packs weights, bias and multipliers (shapes are checked by the caller). */
export const packConvWeights = (p: PackInput): Uint8Array => {
  const [kh, kw] = p.kernel;
  const { cin, cout } = p;
  const cp = paddedChannels(cin);
  const taps = kh * kw;
  const out = new Uint8Array(packedConvBytes(kh, kw, cin, cout, p.int4));
  const view = new DataView(out.buffer);
  const group = new Int8Array(16);
  let at = 0;
  for (let o0 = 0; o0 < cout; o0 += 8) {
    writePanelHead(view, at, o0, cout, p.bias, p.multipliers);
    at += PANEL_HEAD;
    for (let t = 0; t < taps; t++) {
      for (let c0 = 0; c0 < cp; c0 += 2) {
        for (let oo = 0; oo < 8; oo++) {
          const o = o0 + oo;
          for (let e = 0; e < 2; e++) {
            const c = c0 + e;
            const v = o < cout && c < cin ? p.weights[(t * cin + c) * cout + o]! : 0;
            if (p.int4 && (v < -8 || v > 7)) {
              throw kapriError(
                'InvalidArgument',
                `int4 weight ${v} at [tap ${t}, cin ${c}, cout ${o}] is outside [-8, 7]`,
                { value: v },
              );
            }
            group[oo * 2 + e] = v;
          }
        }
        if (p.int4) {
          for (let i = 0; i < 8; i++) out[at + i] = (group[i]! & 15) | ((group[8 + i]! & 15) << 4);
          at += 8;
        } else {
          out.set(new Uint8Array(group.buffer), at);
          at += 16;
        }
      }
    }
  }
  return out;
};

/**
 * Bytes of packed depthwise weights: per 8 output channels, bias, multipliers, and the kh·kw taps
 * in pairs (the last of an odd count paired with a zero tap), 32 bytes a pair.
 */
export const packedDepthwiseBytes = (kh: number, kw: number, c: number): number =>
  Math.ceil(c / 8) * (PANEL_HEAD + Math.ceil((kh * kw) / 2) * 32);

/**
 * Packs depthwise weights `[kh, kw, c]` (c output channels) with bias and multipliers (shapes
 * checked by the caller): a tap pair (a, b) is two i16x8 vectors, `[wa0 wb0 wa1 wb1 … wa3 wb3]`
 * for channels 0–3 of the group and the same for 4–7, the layout `i32x4.dot_i16x8_s` reads.
 */
export const packDepthwiseWeights = (
  weights: Int8Array,
  kh: number,
  kw: number,
  c: number,
  bias: Int32Array,
  multipliers: Float32Array,
): Uint8Array => {
  const out = new Uint8Array(packedDepthwiseBytes(kh, kw, c));
  const view = new DataView(out.buffer);
  const taps = kh * kw;
  const w = (t: number, ch: number): number => (t < taps && ch < c ? weights[t * c + ch]! : 0);
  let at = 0;
  for (let c0 = 0; c0 < c; c0 += 8) {
    for (let cc = 0; cc < 8; cc++) {
      const ch = c0 + cc;
      view.setInt32(at + cc * 4, ch < c ? bias[ch]! : 0, true);
      view.setFloat32(at + 32 + cc * 4, ch < c ? multipliers[ch]! : 0, true);
    }
    at += PANEL_HEAD;
    for (let t = 0; t < taps; t += 2) {
      for (let cc = 0; cc < 8; cc++) {
        view.setInt16(at + cc * 4, w(t, c0 + cc), true);
        view.setInt16(at + cc * 4 + 2, w(t + 1, c0 + cc), true);
      }
      at += 32;
    }
  }
  return out;
};
