/**
 * Alignment projections at run time: a skipped modality's feature approximated from a kept one,
 * `ĥ_to = h_from · W + b` (linear) or `(h_from · U) · V + b` (low rank), on the f32 kernels.
 * Weights are copied into the arena once; applying one allocates nothing.
 *
 * @example
 * const a = planAlignment(kernels, { from: 'rgb', to: 'depth', kind: 'linear', inDim: 32, outDim: 16, w, bias });
 * const depthFeature = a.apply(rgbFeature);
 */
import type * as E from 'fp-ts/lib/Either.js';
import { catchKapri, kapriError, type KapriError, unwrap } from '../core/errors.js';
import type { Region } from '../kernels/arena.js';
import { gemmF32At, lowRankF32At } from '../kernels/f32.js';
import type { KernelModule } from '../kernels/loader.js';

/** A trained alignment projection between two modalities' features (vectors). */
export interface AlignmentProjection {
  readonly from: string;
  readonly to: string;
  readonly kind: 'linear' | 'lowRank';
  readonly inDim: number;
  readonly outDim: number;
  /** Linear: W [inDim × outDim], row-major. */
  readonly w?: Float32Array;
  /** Low rank: U [inDim × rank] and V [rank × outDim]. */
  readonly u?: Float32Array;
  readonly v?: Float32Array;
  readonly rank?: number;
  readonly bias: Float32Array;
}

/** A projection resident in the arena. */
export interface PlannedAlignment {
  readonly projection: AlignmentProjection;
  /** Maps one feature (inDim floats) to the other modality's (outDim floats). */
  apply(feature: Float32Array): Float32Array;
  dispose(): void;
}

const bad = (p: AlignmentProjection, what: string): never => {
  throw kapriError('InvalidArgument', `alignment ${String(p.from)} → ${String(p.to)}: ${what}`);
};

const checkArray = (p: AlignmentProjection, name: string, a: unknown, n: number): Float32Array => {
  if (!(a instanceof Float32Array)) return bad(p, `${name} must be a Float32Array`);
  if (a.length !== n) return bad(p, `${name} must hold ${n} floats, got ${a.length}`);
  if (!a.every(Number.isFinite)) return bad(p, `${name} holds a non-finite value`);
  return a;
};

/** Checks a projection's fields and sizes: its weight arrays, or what is wrong as a left. */
export const checkAlignment = (p: AlignmentProjection): E.Either<KapriError, Float32Array[]> =>
  catchKapri(() => alignmentWeights(p));

const alignmentWeights = (p: AlignmentProjection): Float32Array[] => {
  if (typeof p.from !== 'string' || typeof p.to !== 'string' || p.from === p.to)
    bad(p, 'from and to must name two different modalities');
  for (const [name, d] of [
    ['inDim', p.inDim],
    ['outDim', p.outDim],
  ] as const) {
    if (!Number.isInteger(d) || d < 1) bad(p, `${name} must be a positive integer, got ${String(d)}`);
  }
  checkArray(p, 'bias', p.bias, p.outDim);
  if (p.kind === 'linear') return [checkArray(p, 'w', p.w, p.inDim * p.outDim)];
  if (p.kind !== 'lowRank') return bad(p, `kind must be 'linear' or 'lowRank', got ${JSON.stringify(p.kind)}`);
  const r = p.rank ?? 0;
  if (!Number.isInteger(r) || r < 1)
    bad(p, `a low-rank projection needs a positive integer rank, got ${String(p.rank)}`);
  return [checkArray(p, 'u', p.u, p.inDim * r), checkArray(p, 'v', p.v, r * p.outDim)];
};

/** Validates a projection and copies it into the kernels' arena. */
export const planAlignment = (k: KernelModule, p: AlignmentProjection): PlannedAlignment => {
  const weights = unwrap(checkAlignment(p));
  const regions: Region[] = [];
  const put = (a: Float32Array): Region => {
    const r = k.arena.alloc(Math.max(a.length, 1) * 4);
    regions.push(r);
    k.arena.f32(r, a.length).set(a);
    return r;
  };
  try {
    const ws = weights.map(put);
    const bias = put(p.bias);
    const x = k.arena.alloc(p.inDim * 4);
    regions.push(x);
    const y = k.arena.alloc(p.outDim * 4);
    regions.push(y);
    const t = p.kind === 'lowRank' ? k.arena.alloc(p.rank! * 4) : null;
    if (t) regions.push(t);
    const run =
      p.kind === 'linear'
        ? () => gemmF32At(k, x, ws[0]!, bias, y, { m: 1, k: p.inDim, n: p.outDim })
        : () => lowRankF32At(k, x, ws[0]!, ws[1]!, bias, y, t!, { m: 1, d: p.inDim, r: p.rank!, n: p.outDim });
    let live = true;
    return {
      projection: p,
      apply: (feature) => {
        if (!live) throw kapriError('InvalidArgument', `alignment ${p.from} → ${p.to} has been disposed`);
        if (!(feature instanceof Float32Array) || feature.length !== p.inDim) {
          throw kapriError(
            'InvalidShape',
            `alignment ${p.from} → ${p.to} takes a ${p.inDim}-float feature, got ${feature instanceof Float32Array ? feature.length : typeof feature}`,
          );
        }
        k.arena.f32(x, p.inDim).set(feature);
        run();
        return k.arena.f32(y, p.outDim).slice();
      },
      dispose: () => {
        if (!live) return;
        live = false;
        for (const r of regions) k.arena.free(r);
      },
    };
  } catch (e) {
    for (const r of regions) k.arena.free(r);
    throw e;
  }
};
