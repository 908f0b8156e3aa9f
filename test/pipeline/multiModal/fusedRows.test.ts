/** The fused head's rows: pairs side by side, substituted through the alignments, stacked for dropout. */
import { describe, expect, it } from 'vitest';
import { concatRows, dropoutRows, fusedViews } from '../../../src/pipeline/multiModal/fusedRows.js';
import type { AlignmentProjection } from '../../../src/runtime/alignment.js';

const f32 = (xs: number[]) => Float32Array.from(xs);

// Two pairs: superior features are 2-d, weak ones 1-d.
const f = { superior: f32([1, 2, 3, 4]), weak: f32([5, 6]) };
const dim = { superior: 2, weak: 1 };
const align: Record<'superior' | 'weak', AlignmentProjection> = {
  // weak → superior: [w] ↦ [10w, 100w + 1]
  superior: { from: 'weak', to: 'superior', kind: 'linear', inDim: 1, outDim: 2, w: f32([10, 100]), bias: f32([0, 1]) },
  // superior → weak: [a, b] ↦ [a + b − 1]
  weak: { from: 'superior', to: 'weak', kind: 'linear', inDim: 2, outDim: 1, w: f32([1, 1]), bias: f32([-1]) },
};

describe('fused rows', () => {
  it('concatenates row i of each matrix', () => {
    expect(concatRows(f.superior, 2, f.weak, 1, 2)).toEqual(f32([1, 2, 5, 3, 4, 6]));
    expect(concatRows(f32([]), 0, f.weak, 1, 2)).toEqual(f32([5, 6]));
  });

  it('builds the three views, each substituted feature through its alignment', () => {
    expect(fusedViews(f, align, dim, 2)).toEqual({
      both: f32([1, 2, 5, 3, 4, 6]),
      superiorSubstituted: f32([50, 501, 5, 60, 601, 6]),
      weakSubstituted: f32([1, 2, 2, 3, 4, 6]),
    });
  });

  it('stacks the views for modality dropout: row r shows pair r mod n', () => {
    const v = { both: f32([1, 2]), superiorSubstituted: f32([3, 4]), weakSubstituted: f32([5, 6]) };
    expect(dropoutRows(v)).toEqual(f32([1, 2, 3, 4, 5, 6]));
  });
});
