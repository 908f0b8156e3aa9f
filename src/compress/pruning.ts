/**
 * Pruning masks: magnitude (unstructured: the smallest |w| anywhere) and channel (structured: whole
 * output channels with the smallest L1 norm). A mask is 1 to keep, 0 to prune. Unstructured sparsity
 * saves neither bytes nor time in the dense QModel format, so deployment removes whole channels
 * instead (`channelPrune.ts`, then a short fine-tune).
 */
import { kapriError } from '../core/errors.js';

const checkSparsity = (s: number): void => {
  if (!(s >= 0 && s < 1)) throw kapriError('InvalidConfig', `sparsity must be in [0, 1), got ${s}`);
};

/** Keeps the largest-magnitude (1 − sparsity) fraction of weights (ties keep the earlier index). */
export const magnitudeMask = (w: Float32Array, sparsity: number): Uint8Array => {
  checkSparsity(sparsity);
  const prune = Math.floor(w.length * sparsity);
  const order = Array.from(w.keys()).sort((a, b) => Math.abs(w[a]!) - Math.abs(w[b]!) || b - a);
  const mask = new Uint8Array(w.length).fill(1);
  for (let i = 0; i < prune; i++) mask[order[i]!] = 0;
  return mask;
};

/** Keeps the (1 − sparsity) highest-scoring indices, at least one, in ascending order (ties keep the lower index). */
export const keepByScore = (scores: ArrayLike<number>, sparsity: number): number[] => {
  checkSparsity(sparsity);
  const n = scores.length;
  const keep = Math.max(1, n - Math.floor(n * sparsity));
  return Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
};

/** Which output channels to keep ([..., Cout] layout): the (1 − sparsity) fraction with the largest L1 norms. */
export const channelKeep = (w: Float32Array, outChannels: number, sparsity: number): boolean[] => {
  checkSparsity(sparsity);
  if (w.length % outChannels !== 0)
    throw kapriError('InvalidShape', `weights of length ${w.length} cannot have ${outChannels} output channels`);
  const l1 = new Float64Array(outChannels);
  for (let i = 0; i < w.length; i++) l1[i % outChannels]! += Math.abs(w[i]!);
  const keep = new Array<boolean>(outChannels).fill(false);
  for (const c of keepByScore(l1, sparsity)) keep[c] = true;
  return keep;
};
