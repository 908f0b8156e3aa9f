import { describe, expect, it } from 'vitest';
import { generateScenario, raisedSplits } from '../../src/scenarios/index.js';

const sizes = (sourceTrain: number) => ({ sourceTrain, targetTrain: 10, targetTest: 10 });

describe('raisedSplits', () => {
  it('names each hands split raised to its minimum, with the size it would have had', () => {
    expect(raisedSplits('hands', sizes(600))).toEqual([
      'hands: the source test split (sourceTrain / 4) raised from 150 to its minimum of 200',
    ]);
  });

  it('is empty when the derived splits reach their minimums, and for scenarios with fixed splits', () => {
    expect(raisedSplits('hands', sizes(1200))).toEqual([]);
    expect(raisedSplits('physio', sizes(10))).toEqual([]);
  });

  it("lands in the generated scenario's notes", () => {
    const d = generateScenario('hands', 1, sizes(24));
    expect(d.source.val.n).toBe(100);
    expect(d.source.test.n).toBe(200);
    expect(d.notes.filter((n) => /raised from/.test(n))).toEqual(raisedSplits('hands', sizes(24)));
  });
});
