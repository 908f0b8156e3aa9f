/** The flags a report raises about itself, on a real 5-seed report and on edge cases derived from it. */
import { describe, expect, it } from 'vitest';
import { keptStep, reportFlags } from '../../src/pipeline/reportFlags.js';
import { edgeReport, gaussReport } from '../support/reportFixtures.js';

describe('reportFlags', () => {
  it('names the methods that tie exactly, and why, on the gauss fixture (kapFixed tying l2sp by construction is not news)', () => {
    const flags = reportFlags(gaussReport());
    expect(flags.map((f) => f.id)).toEqual(['tie']);
    expect(flags[0]!.message).toMatch(/^l2sp, fisher, kap score exactly the same \(accuracy 0\.518\) on every seed/);
    expect(flags[0]!.message).toMatch(/kept its first validation checkpoint \(step 4\)/);
  });

  it('flags a tie of every method, a teacher below its student and a single seed', () => {
    const flags = reportFlags(edgeReport());
    expect(flags.map((f) => f.id)).toEqual(['tie', 'teacherBelowStudent', 'oneSeed']);
    expect(flags[0]!.message).toMatch(/^All 6 target methods score exactly the same \(accuracy 0\.500\)/);
    expect(flags[1]!.message).toMatch(/teacher \(superior modality\) scores accuracy 0\.400 .* \(0\.550\)/);
  });

  it('flags every method at the ceiling of the metric', () => {
    const flags = reportFlags(edgeReport(1));
    expect(flags[0]).toMatchObject({ id: 'ceiling' });
    expect(flags[0]!.message).toMatch(/accuracy 1\.000 on every seed, the metric's ceiling/);
  });

  it('finds the step whose validation metric training kept, the first of equal bests', () => {
    const curve = [
      { step: 4, loss: 1, val: 0.5 },
      { step: 8, loss: 1 },
      { step: 12, loss: 1, val: 0.6 },
      { step: 16, loss: 1, val: 0.6 },
    ];
    expect(keptStep(curve, true)).toBe(12);
    expect(keptStep(curve, false)).toBe(4);
    expect(keptStep([{ step: 1, loss: 1 }], true)).toBeNull();
  });
});
