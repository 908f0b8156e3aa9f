/**
 * The fused head's input rows: each pair's superior feature, then its weak one. Modality dropout
 * trains the head on three views of every labelled pair (both real, the superior substituted from the
 * weak through its alignment, the reverse), so a plan that skips an encoder feeds the head rows it
 * was trained on.
 */
import type { AlignmentProjection } from '../../runtime/alignment.js';
import { project } from './alignments.js';
import type { MultiModalReport, PerSlot } from './types.js';

/** The three views of the same pairs, each [n × (dim.superior + dim.weak)] row-major. */
export type FusedViews = Readonly<Record<keyof MultiModalReport['floatVal'], Float32Array>>;

/** Rows [a_i, b_i] of two row-major matrices a [n × da] and b [n × db]. */
export const concatRows = (a: Float32Array, da: number, b: Float32Array, db: number, n: number): Float32Array => {
  const out = new Float32Array(n * (da + db));
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * (da + db));
    out.set(b.subarray(i * db, (i + 1) * db), i * (da + db) + da);
  }
  return out;
};

/** The head's views of n pairs' features `f` (dims `dim`), substituting through `align`. */
export const fusedViews = (
  f: PerSlot<Float32Array>,
  align: PerSlot<AlignmentProjection>,
  dim: PerSlot<number>,
  n: number,
): FusedViews => ({
  both: concatRows(f.superior, dim.superior, f.weak, dim.weak, n),
  superiorSubstituted: concatRows(project(align.superior, f.weak, n), dim.superior, f.weak, dim.weak, n),
  weakSubstituted: concatRows(f.superior, dim.superior, project(align.weak, f.superior, n), dim.weak, n),
});

/**
 * The training rows with modality dropout: the views stacked (both, superior substituted, weak
 * substituted), 3n rows; row r shows pair r mod n, so it takes that pair's label.
 */
export const dropoutRows = (v: FusedViews): Float32Array => {
  const out = new Float32Array(v.both.length * 3);
  out.set(v.both, 0);
  out.set(v.superiorSubstituted, v.both.length);
  out.set(v.weakSubstituted, 2 * v.both.length);
  return out;
};
