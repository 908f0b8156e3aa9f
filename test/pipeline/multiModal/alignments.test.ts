/** The alignments between the two features: a linear relation is recovered, and R² says so. */
import { describe, expect, it } from 'vitest';
import { alignmentFloats, alignmentR2Of, fitAlignments, project } from '../../../src/pipeline/multiModal/alignments.js';

describe('alignments', () => {
  // 64 pairs: weak w ∈ ℝ, superior [2w + 1, −w]; an exact linear relation each way (superior → weak too).
  const n = 64;
  const weak = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const superior = Float32Array.from({ length: 2 * n }, (_, j) => {
    const w = weak[j >> 1]!;
    return j % 2 === 0 ? 2 * w + 1 : -w;
  });

  it('fits each direction so that the substituted feature matches the real one', () => {
    const align = fitAlignments({ superior, weak }, n);
    expect(align.superior).toMatchObject({ from: 'weak', to: 'superior', inDim: 1, outDim: 2 });
    expect(align.weak).toMatchObject({ from: 'superior', to: 'weak', inDim: 2, outDim: 1 });
    const s = project(align.superior, weak, n);
    for (let j = 0; j < 2 * n; j++) expect(s[j]).toBeCloseTo(superior[j]!, 2);
    const r2 = alignmentR2Of(align, { superior, weak }, n);
    expect(r2.weakToSuperior).toBeGreaterThan(0.999);
    expect(r2.superiorToWeak).toBeGreaterThan(0.999);
    expect(r2.weakToSuperior).toBeLessThanOrEqual(1);
  });

  it('counts W and b as the floats a skip stores', () => {
    const align = fitAlignments({ superior, weak }, n);
    expect(alignmentFloats(align.superior)).toBe(1 * 2 + 2);
    expect(alignmentFloats(align.weak)).toBe(2 * 1 + 1);
  });
});
