/**
 * The bridge from datasets (typed arrays) to trainers (tensors): seeded batch sources and batched
 * inference. Regression labels are scaled (e.g. mm → dm) so that losses stay near 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/rng.js';
import { sampleSize, type Labels, type Modality, type PairedSource, type Target } from '../data/dataset.js';
import { batchStream } from '../data/splits.js';
import type { BatchSource, SourceBatch, TargetBatch } from '../distill/batches.js';

/** Rows `idx` of a modality as one tensor [idx.length, ...shape]. */
export const rows = (m: Modality, idx: ArrayLike<number>): tf.Tensor => {
  const per = sampleSize(m.shape);
  const out = new Float32Array(idx.length * per);
  for (let i = 0; i < idx.length; i++) out.set(m.data.subarray(idx[i]! * per, (idx[i]! + 1) * per), i * per);
  return tf.tensor(out, [idx.length, ...m.shape]);
};

export const labelRows = (l: Labels, idx: ArrayLike<number>, scale: number): tf.Tensor => {
  if (l.kind === 'classes')
    return tf.tensor1d(
      Int32Array.from(idx, (i) => l.data[i]!),
      'int32',
    );
  const per = sampleSize(l.shape);
  const out = new Float32Array(idx.length * per);
  for (let i = 0; i < idx.length; i++)
    for (let k = 0; k < per; k++) out[i * per + k] = l.data[idx[i]! * per + k]! * scale;
  return tf.tensor2d(out, [idx.length, per]);
};

/** The first `n` samples of a modality as one tensor (no copy of the data beyond tfjs's own). */
export const firstRows = (m: Modality, n: number): tf.Tensor =>
  tf.tensor(m.data.subarray(0, n * sampleSize(m.shape)), [n, ...m.shape]);

/** Seeded mini-batches of a paired source. */
export const sourceBatches = (
  d: PairedSource,
  batchSize: number,
  rng: Rng,
  labelScale = 1,
): BatchSource<SourceBatch> => {
  const next = batchStream(d.n, batchSize, rng);
  return (k) => {
    const idx = next(k);
    return {
      weak: rows(d.weak, idx),
      superior: rows(d.superior, idx),
      ...(d.label ? { label: labelRows(d.label, idx, labelScale) } : {}),
    };
  };
};

/** Seeded mini-batches of a labelled target. */
export const targetBatches = (d: Target, batchSize: number, rng: Rng, labelScale = 1): BatchSource<TargetBatch> => {
  const next = batchStream(d.n, batchSize, rng);
  const label = d.label!;
  return (k) => {
    const idx = next(k);
    return { weak: rows(d.weak, idx), label: labelRows(label, idx, labelScale) };
  };
};

/** Runs `f` over a modality in batches (inference) and concatenates its [B, k] outputs. */
export const predictAll = (m: Modality, n: number, f: (x: tf.Tensor) => tf.Tensor, batchSize = 128): Float32Array => {
  const parts: Float32Array[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, i) => s + i);
    parts.push(tf.tidy(() => f(rows(m, idx)).dataSync() as Float32Array));
  }
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
