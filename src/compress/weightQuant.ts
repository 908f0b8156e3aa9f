/**
 * Per-output-channel symmetric weight quantization (docs/methods.md §3): int8 in [−127, 127], the 7-bit
 * form in [−63, 63] (what the relaxed int8 kernels take, src/kernels/qs8ConvRelaxed.ts), or int4 in
 * [−7, 7], zero point 0, scale_o = max|w_o| / qmax (1 for an all-zero channel). Weights are laid out
 * with the output channel last ([..., Cout], as tfjs stores conv and dense kernels). int4 values pack
 * two per byte, low nibble first (two's complement nibbles).
 */
import { kapriError } from '../core/errors.js';
import { roundHalfEven } from '../kernels/reference/rounding.js';
import type { WeightBits } from '../runtime/kernelSpecs.js';

// the runtime owns the widths its kernels run; the quantizer produces them
export type { WeightBits };

export interface QuantizedWeights {
  readonly bits: WeightBits;
  /** One int per weight, same layout as the float weights (int4 values held unpacked here). */
  readonly q: Int8Array;
  /** Per output channel, float32. */
  readonly scales: Float32Array;
  readonly outChannels: number;
}

/** Quantizes a [..., Cout] weight tensor per output channel. */
export const quantizeWeights = (w: Float32Array, outChannels: number, bits: WeightBits): QuantizedWeights => {
  if (!Number.isInteger(outChannels) || outChannels < 1 || w.length % outChannels !== 0) {
    throw kapriError('InvalidShape', `weights of length ${w.length} cannot have ${outChannels} output channels`);
  }
  const qmax = bits === 8 ? 127 : bits === 7 ? 63 : 7;
  const scales = new Float32Array(outChannels);
  for (let i = 0; i < w.length; i++) {
    const a = Math.abs(w[i]!);
    if (!Number.isFinite(a))
      throw kapriError('InvalidData', `weight ${i} is ${w[i]}; weights must be finite`, { index: i });
    const o = i % outChannels;
    if (a > scales[o]!) scales[o] = a;
  }
  for (let o = 0; o < outChannels; o++) scales[o] = scales[o]! > 0 ? Math.fround(scales[o]! / qmax) : 1;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++)
    q[i] = Math.max(-qmax, Math.min(qmax, roundHalfEven(Math.fround(w[i]! / scales[i % outChannels]!))));
  return { bits, q, scales, outChannels };
};

/** Back to float32: w = q · scale_o. */
export const dequantizeWeights = (qw: QuantizedWeights): Float32Array => {
  const out = new Float32Array(qw.q.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(qw.q[i]! * qw.scales[i % qw.outChannels]!);
  return out;
};

export { packInt4, unpackInt4 } from '../kernels/int4.js';

/** Squared quantization error ‖Q(W) − W‖² (for sensitivity). */
export const quantizationError = (w: Float32Array, qw: QuantizedWeights): number => {
  const d = dequantizeWeights(qw);
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (d[i]! - w[i]!) ** 2;
  return s;
};
