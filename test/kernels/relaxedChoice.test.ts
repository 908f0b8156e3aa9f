import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/loader.js';
import { relaxedDotTrusted } from '../../src/kernels/qs8ConvRelaxed.js';
import { relaxedChoice } from '../../src/kernels/relaxedChoice.js';

/** What qs8_roofline_i7 variant 1 returns: the int32 sum of its 8 accumulators (see assembly/rooflineI7.ts). */
const probeReference = (iters: number): number => {
  const t = Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 127);
  const acc = new Int32Array(8 * 4);
  for (let i = 0; i < iters; i++) {
    const p = (i & 7) * 4;
    for (let px = 0; px < 4; px++) {
      const x = t.slice(p + 128 + 4 * px, p + 132 + 4 * px);
      for (let v = 0; v < 2; v++)
        for (let lane = 0; lane < 4; lane++) {
          let s = 0;
          for (let b = 0; b < 4; b++) s += x[b]! * t[p + 16 * v + 4 * lane + b]!;
          acc[(px * 2 + v) * 4 + lane] = (acc[(px * 2 + v) * 4 + lane]! + s) | 0;
        }
    }
  }
  return acc.reduce((a, b) => (a + b) | 0, 0);
};

describe('relaxedChoice', () => {
  it('never takes the relaxed path on a build without relaxed SIMD, and says why', async () => {
    const k = await loadKernels({ build: 'simd' });
    const c = relaxedChoice(k);
    expect(c).toMatchObject({ pays: false, gain: null });
    expect(c.reason).toMatch(/'simd' build has no relaxed SIMD/);
  });

  it('never takes it where the accumulate-dot probe failed (Node 20)', async () => {
    const k = await loadKernels({ build: 'relaxed' });
    if (relaxedDotTrusted(k)) return;
    expect(relaxedChoice(k)).toMatchObject({ pays: false, gain: null });
    expect(relaxedChoice(k).reason).toMatch(/wrongly/);
  });

  it('decides once per module', async () => {
    const k = await loadKernels({ build: 'simd' });
    expect(relaxedChoice(k)).toBe(relaxedChoice(k));
  });

  it.each([1, 7, 1000])('runs the relaxed probe over the tile it claims (%i iterations, exact sum)', async (n) => {
    const k = await loadKernels({ build: 'simd' });
    expect(k.exports.qs8_roofline_i7(n, 1)).toBe(probeReference(n));
  });
});
