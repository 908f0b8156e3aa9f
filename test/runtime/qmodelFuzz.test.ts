/**
 * The QModel fuzz suite (issue 14): 10,000 seeded mutations with every checksum fixed up, so that
 * semantic validation is what is tested. Each case must be a typed refusal at decode or run on both
 * engines to bit-equal finite outputs from finite inputs (see qmodelFuzzCases.ts); 0 in any other
 * class. scripts/fuzz-qmodel.ts runs more cases of the same generator.
 */
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/loader.js';
import { FUZZ_CLASSES, runQModelFuzz } from './qmodelFuzzCases.js';

describe('QModel fuzz, checksums fixed up', () => {
  it('classifies 10,000 mutations as typed refusals or equal finite runs on both engines, and nothing else', async () => {
    const k = await loadKernels({ build: 'simd' });
    const report = runQModelFuzz(k, 14, 10_000, { maxMacs: 1e6, maxArenaBytes: 2 ** 24 });
    const defects = Object.fromEntries(
      FUZZ_CLASSES.filter((c) => c !== 'refused' && c !== 'ran').map((c) => [c, report.counts[c]]),
    );
    console.log(`QModel fuzz seed 14: ${JSON.stringify(report.counts)}, skipped ${report.skipped}`);
    expect(report.examples).toEqual({});
    expect(Object.values(defects).every((n) => n === 0)).toBe(true);
    expect(report.counts.refused + report.counts.ran + report.skipped).toBe(10_000);
    // the suite means something only if both kinds of outcome are common
    expect(report.counts.ran).toBeGreaterThan(1000);
    expect(report.counts.refused).toBeGreaterThan(5000);
  }, 60_000);
});
