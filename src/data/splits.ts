/** Seeded splits of sample indices, labelled subsets and mini-batch index streams. */
import { kapriError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/** Splits 0..n−1 into consecutive groups of a seeded permutation with the given sizes (remainder last). */
export const splitIndices = (n: number, sizes: readonly number[], rng: Rng): Int32Array[] => {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total > n) {
    throw kapriError('InvalidArgument', `cannot split ${n} samples into [${sizes.join(', ')}]`);
  }
  const p = rng.permutation(n);
  const out: Int32Array[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(p.slice(at, at + s));
    at += s;
  }
  return out;
};

/** A labelled subset of `size` of `available` samples; larger than available is an error. */
export const labelledSubset = (available: number, size: number, rng: Rng): Int32Array => {
  if (!Number.isInteger(size) || size < 1)
    throw kapriError('InvalidArgument', `the labelled-set size must be a positive integer, got ${size}`);
  if (size > available)
    throw kapriError(
      'InvalidArgument',
      `a labelled set of ${size} was asked for, but the target has only ${available} labelled samples`,
      { size, available },
    );
  return rng.permutation(available).slice(0, size);
};

/**
 * Epoch-wise shuffled mini-batches over `n` samples: batch k of the stream is a deterministic
 * function of the seed. The last partial batch of an epoch is dropped (batches keep one size).
 */
export const batchStream = (n: number, batchSize: number, rng: Rng): ((k: number) => Int32Array) => {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw kapriError('InvalidArgument', `batch size must be a positive integer, got ${batchSize}`);
  const b = Math.min(batchSize, n);
  const perEpoch = Math.max(1, Math.floor(n / b));
  const epochs: Int32Array[] = [];
  return (k) => {
    const e = Math.floor(k / perEpoch);
    while (epochs.length <= e) epochs.push(rng.permutation(n));
    const start = (k % perEpoch) * b;
    return epochs[e]!.subarray(start, start + b);
  };
};
