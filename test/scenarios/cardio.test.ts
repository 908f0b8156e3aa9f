import { describe, expect, it } from 'vitest';
import { generateCardio, CARDIO_FS, CARDIO_LENGTH } from '../../src/scenarios/cardio/cardio.js';
import { expectDeterministicBySeed, expectShiftOneAsWithout } from '../support/scenarioBytes.js';
import { meanAbsStep } from '../support/meanAbsStep.js';
import { sourcePremise } from '../support/sourcePremise.js';

const sizes = { sourceTrain: 300, sourceVal: 5, sourceTest: 5, targetTrain: 20, targetVal: 5, targetTest: 5 };
const d = generateCardio({ seed: 2, ...sizes });
const regular = generateCardio({ seed: 2, ...sizes, ectopy: 0 });

/** R-peak times from the ECG: local maxima above half the window's maximum. */
const peaks = (x: Float32Array): number[] => {
  const m = Math.max(...x);
  const out: number[] = [];
  for (let i = 1; i + 1 < x.length; i++)
    if (
      x[i]! > 0.5 * m &&
      x[i]! >= x[i - 1]! &&
      x[i]! > x[i + 1]! &&
      (out.length === 0 || i - out[out.length - 1]! > 0.25 * CARDIO_FS)
    )
      out.push(i);
  return out;
};
const rrVariability = (p: number[]): number => {
  const rr = p.slice(1).map((v, i) => v - p[i]!);
  const mean = rr.reduce((a, b) => a + b, 0) / rr.length;
  return Math.sqrt(rr.reduce((a, b) => a + (b - mean) ** 2, 0) / rr.length) / mean;
};

/** Mean RR variability of the ECG windows of class `c` in a scenario's source training split. */
const meanVariability = (data: typeof d, c: number): number => {
  const s = data.source.train;
  const lab = s.label!.data as Int32Array;
  const cv = Array.from({ length: s.n }, (_, i) =>
    rrVariability(peaks(s.superior.data.subarray(i * CARDIO_LENGTH, (i + 1) * CARDIO_LENGTH))),
  );
  return cv.filter((_, i) => lab[i] === c).reduce((a, b) => a + b, 0) / lab.filter((l) => l === c).length;
};

describe('cardio scenario', () => {
  const s = d.source.train;

  it('has ECG and PPG windows of 10 s at 64 Hz and no ECG on the target', () => {
    expect(s.superior.shape).toEqual([640, 1]);
    expect(s.weak.shape).toEqual([640, 1]);
    expect('superior' in d.target.train).toBe(false);
  });

  it('makes RR intervals irregular in AF and regular in sinus rhythm without premature beats', () => {
    expect(meanVariability(regular, 0)).toBeLessThan(0.05);
    expect(meanVariability(regular, 1)).toBeGreaterThan(4 * meanVariability(regular, 0));
  });

  it('makes sinus windows with premature beats irregular too, though less than AF', () => {
    expect(meanVariability(d, 0)).toBeGreaterThan(1.5 * meanVariability(regular, 0));
    expect(meanVariability(d, 1)).toBeGreaterThan(2 * meanVariability(d, 0));
  });

  it('corrupts the target PPG with more motion artifacts than the source', () => {
    const spread = (x: Float32Array) => {
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
    };
    const calm = generateCardio({ seed: 2, ...sizes, artifacts: 0, targetArtifacts: 0 });
    expect(spread(d.source.train.weak.data)).toBeGreaterThan(spread(calm.source.train.weak.data));
    expect(spread(d.target.train.weak.data)).toBeGreaterThan(spread(calm.target.train.weak.data));
  });

  it('gives the same bytes in every split for the same seed, and other samples in every split for another seed', () => {
    expectDeterministicBySeed(
      (seed) =>
        generateCardio({
          seed,
          sourceTrain: 3,
          sourceVal: 1,
          sourceTest: 1,
          targetTrain: 2,
          targetVal: 1,
          targetTest: 1,
        }),
      4,
    );
  });

  it('reproduces the premise: the ECG teacher beats PPG alone, and CMKD is not below PPG alone (default source stage, seeds 1-3)', async () => {
    const mean = await sourcePremise(
      (seed, sourceTrain) => generateCardio({ seed, sourceTrain, targetTrain: 5, targetVal: 5, targetTest: 5 }),
      [1, 2, 3],
    );
    // The ECG's P and f waves are evidence the PPG lacks: the teacher is clearly better, and the PPG
    // student is off the ceiling (the old generator's ECG teacher scored below its PPG student).
    expect(mean.teacher - mean.studentNoKd).toBeGreaterThan(0.05);
    expect(mean.studentNoKd).toBeLessThan(0.95);
    expect(mean.studentKd).toBeGreaterThanOrEqual(mean.studentNoKd);
  }, 300_000);
});

describe('cardio: data.shift scales the motion noise and artifact bursts of the target', () => {
  const sizes = { sourceTrain: 5, sourceVal: 5, sourceTest: 300, targetTrain: 5, targetVal: 5, targetTest: 300 };
  const roughness = (x: Float32Array): number => meanAbsStep(x, 1);

  it('at shift 1 gives the same bytes as without the option (the stated target, in the same draw order)', () => {
    const small = { sourceTrain: 20, sourceVal: 5, sourceTest: 5, targetTrain: 20, targetVal: 5, targetTest: 5 };
    expectShiftOneAsWithout(generateCardio, [
      { seed: 4, ...small },
      { seed: 4, ...small, artifacts: 1, targetArtifacts: 5 },
    ]);
  });

  it("at shift 0 draws the target's PPG as the source's (roughness within 15%: other patients of the same distribution), and a larger shift roughens it monotonically", () => {
    const shifts = [0, 0.5, 1, 2, 4];
    const ds = shifts.map((shift) => generateCardio({ seed: 3, ...sizes, shift }));
    const src = roughness(ds[0]!.source.test.weak.data);
    const r = ds.map((d) => roughness(d.target.test.weak.data));
    expect(Math.abs(r[0]! / src - 1)).toBeLessThan(0.15);
    r.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(r[i]!));
    expect(r[2]! / src).toBeGreaterThan(1.5);
  });

  it("states the bursts and motion noise it used: at shift 0 the source's (up to 2 bursts, noise 0.05), the count rounded in between", () => {
    const small = { sourceTrain: 5, sourceVal: 5, sourceTest: 5, targetTrain: 5, targetVal: 5, targetTest: 5 };
    const note = (shift: number, o = {}) => generateCardio({ seed: 1, ...small, shift, ...o }).notes.join(' ');
    expect(note(0)).toMatch(
      /up to 2 PPG motion artifacts per source window and 2 per target window, whose patients have motion noise 0\.05 \(source 0\.05\).*shift ×0 /,
    );
    expect(note(0.25)).toMatch(/and 3 per target window, whose patients have motion noise 0\.075 /);
    expect(note(1)).toMatch(/and 4 per target window, whose patients have motion noise 0\.15 .*shift ×1 /);
    expect(note(4)).toMatch(/and 10 per target window, whose patients have motion noise 0\.45 /);
    // A target with fewer bursts than the source: extrapolating past 1 stops at none.
    expect(note(4, { artifacts: 2, targetArtifacts: 1 })).toMatch(/and 0 per target window/);
  });

  it('is deterministic by seed at a shift other than 1', () => {
    const small = { sourceTrain: 20, sourceVal: 5, sourceTest: 5, targetTrain: 20, targetVal: 5, targetTest: 5 };
    expectDeterministicBySeed((seed) => generateCardio({ seed, ...small, shift: 0 }), 8);
  });

  it('refuses a shift above 4, naming the range', () => {
    expect(() => generateCardio({ seed: 1, shift: 5 })).toThrow(/cardio: shift must be a number in \[0, 4\].*got 5/);
  });
});
