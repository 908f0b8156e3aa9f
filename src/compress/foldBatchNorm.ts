/**
 * Folding inference-mode batch norm into the preceding conv/dense (weights [..., Cout]):
 *   k = γ / √(var + ε),  w′ = w · k (per output channel),  b′ = (b − mean) · k + β.
 * The folded layer computes exactly what conv → batch norm computes in inference (up to rounding).
 */
import { kapriError } from '../core/errors.js';

export interface FoldInput {
  readonly w: Float32Array;
  /** Conv bias, or null when the layer has none (batch norm replaces it). */
  readonly b: Float32Array | null;
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly epsilon: number;
}

export const foldBatchNorm = (f: FoldInput): { w: Float32Array; b: Float32Array } => {
  const c = f.gamma.length;
  if ([f.beta, f.mean, f.variance].some((a) => a.length !== c) || (f.b && f.b.length !== c) || f.w.length % c !== 0) {
    throw kapriError(
      'InvalidShape',
      `batch-norm folding: ${c} channels do not match the weights (${f.w.length}) or statistics`,
    );
  }
  const k = new Float32Array(c);
  for (let o = 0; o < c; o++) k[o] = f.gamma[o]! / Math.sqrt(f.variance[o]! + f.epsilon);
  const w = new Float32Array(f.w.length);
  for (let i = 0; i < w.length; i++) w[i] = f.w[i]! * k[i % c]!;
  const b = new Float32Array(c);
  for (let o = 0; o < c; o++) b[o] = ((f.b ? f.b[o]! : 0) - f.mean[o]!) * k[o]! + f.beta[o]!;
  return { w, b };
};
