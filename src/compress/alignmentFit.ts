/**
 * Alignment projections for deployment: a closed-form ridge fit between two modalities' features
 * (`fitLinearAlignment`), or the export of a projection trained with distillation
 * (`alignmentFromProjection`). The runtime applies either on the f32 kernels to stand in for a
 * skipped modality.
 *
 * @example
 * const p = fitLinearAlignment(rgbFeatures, depthFeatures, { from: 'rgb', to: 'depth', n: 500 });
 */
import { choleskySolveInPlace } from '../core/cholesky.js';
import { kapriError } from '../core/errors.js';
import type { Projection } from '../distill/projection.js';
import type { AlignmentProjection } from '../runtime/alignment.js';

/** Options of {@link fitLinearAlignment}. */
export interface LinearAlignmentFit {
  readonly from: string;
  readonly to: string;
  /** Rows (samples) in the feature matrices. */
  readonly n: number;
  /** Ridge strength relative to the mean feature variance (default 1e-3). */
  readonly ridge?: number;
}

/**
 * Fits `to ≈ from · W + b` by ridge regression on centred features (row-major `from` [n × da],
 * `to` [n × db]).
 */
export const fitLinearAlignment = (
  from: Float32Array,
  to: Float32Array,
  o: LinearAlignmentFit,
): AlignmentProjection => {
  const { n } = o;
  if (!Number.isInteger(n) || n < 2)
    throw kapriError('InvalidArgument', `fitting an alignment needs at least 2 samples, got ${String(n)}`);
  if (from.length % n !== 0 || to.length % n !== 0 || from.length === 0 || to.length === 0) {
    throw kapriError('InvalidShape', `features of ${from.length} and ${to.length} floats do not split into ${n} rows`);
  }
  const da = from.length / n;
  const db = to.length / n;
  const mean = (x: Float32Array, d: number) => {
    const m = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j]! += x[i * d + j]! / n;
    return m;
  };
  const mx = mean(from, da);
  const my = mean(to, db);
  const xtx = new Float64Array(da * da);
  const xty = new Float64Array(da * db);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < da; p++) {
      const xp = from[i * da + p]! - mx[p]!;
      for (let q = 0; q < da; q++) xtx[p * da + q]! += xp * (from[i * da + q]! - mx[q]!);
      for (let c = 0; c < db; c++) xty[p * db + c]! += xp * (to[i * db + c]! - my[c]!);
    }
  }
  let trace = 0;
  for (let p = 0; p < da; p++) trace += xtx[p * da + p]!;
  const lambda = (o.ridge ?? 1e-3) * (trace / da) + 1e-12;
  for (let p = 0; p < da; p++) xtx[p * da + p]! += lambda;
  choleskySolveInPlace(xtx, xty, da, db);
  const bias = new Float32Array(db);
  for (let c = 0; c < db; c++) {
    let s = my[c]!;
    for (let p = 0; p < da; p++) s -= mx[p]! * xty[p * db + c]!;
    bias[c] = s;
  }
  return { from: o.from, to: o.to, kind: 'linear', inDim: da, outDim: db, w: Float32Array.from(xty), bias };
};

/** Exports a trained vector projection (linear or low rank) of the distillation stage. */
export const alignmentFromProjection = (p: Projection, from: string, to: string): AlignmentProjection => {
  const read = (name: string): { data: Float32Array; shape: number[] } => {
    const v = (p.params as Record<string, { dataSync(): unknown; shape: number[] } | undefined>)[name];
    if (!v) throw kapriError('InvalidArgument', `the ${p.kind} projection has no parameter '${name}'`);
    return { data: Float32Array.from(v.dataSync() as Float32Array), shape: v.shape };
  };
  const bias = read('b').data;
  if (p.kind === 'linear') {
    const w = read('w');
    return { from, to, kind: 'linear', inDim: w.shape[0]!, outDim: w.shape[1]!, w: w.data, bias };
  }
  if (p.kind === 'lowRank') {
    const u = read('u');
    const v = read('v');
    return {
      from,
      to,
      kind: 'lowRank',
      inDim: u.shape[0]!,
      outDim: v.shape[1]!,
      rank: u.shape[1]!,
      u: u.data,
      v: v.data,
      bias,
    };
  }
  throw kapriError(
    'Unsupported',
    `a ${p.kind} projection cannot substitute a feature vector at run time (linear or lowRank can)`,
  );
};

/** R² of predicted against true features (row-major, `dim` per row): 1 − SSE/SST over every coordinate. */
export const rSquared = (pred: Float32Array, truth: Float32Array, dim: number): number => {
  const n = truth.length / dim;
  const mean = new Float64Array(dim);
  for (let i = 0; i < truth.length; i++) mean[i % dim]! += truth[i]! / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < truth.length; i++) {
    sse += (pred[i]! - truth[i]!) ** 2;
    sst += (truth[i]! - mean[i % dim]!) ** 2;
  }
  return 1 - sse / sst;
};
