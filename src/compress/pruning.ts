/**
 * Pruning masks: magnitude (unstructured: the smallest |w| anywhere) and channel (structured: whole
 * output channels with the smallest L1 norm). A mask is 1 to keep, 0 to prune; the short fine-tune
 * that follows keeps masked weights at zero.
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

/** Which output channels to keep ([..., Cout] layout): the (1 − sparsity) fraction with the largest L1 norms. */
export const channelKeep = (w: Float32Array, outChannels: number, sparsity: number): boolean[] => {
  checkSparsity(sparsity);
  if (w.length % outChannels !== 0) throw kapriError('InvalidShape', `weights of length ${w.length} cannot have ${outChannels} output channels`);
  const l1 = new Float64Array(outChannels);
  for (let i = 0; i < w.length; i++) l1[i % outChannels]! += Math.abs(w[i]!);
  const prune = Math.min(outChannels - 1, Math.floor(outChannels * sparsity));
  const order = Array.from(l1.keys()).sort((a, b) => l1[a]! - l1[b]! || b - a);
  const keep = new Array<boolean>(outChannels).fill(true);
  for (let i = 0; i < prune; i++) keep[order[i]!] = false;
  return keep;
};
