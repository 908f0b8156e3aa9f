import { describe, expect, it } from 'vitest';
import { generatePhysio, LENGTH, EEG_CHANNELS, FS } from '../../src/scenarios/physio/physio.js';
import { ridgeProbeMse } from './linearProbe.js';
import { expectDeterministicBySeed, expectShiftOneAsWithout } from '../support/scenarioBytes.js';
import { meanAbsStep } from '../support/meanAbsStep.js';
import { sourcePremise } from '../support/sourcePremise.js';

const data = generatePhysio({
  seed: 3,
  sourceTrain: 400,
  sourceVal: 10,
  sourceTest: 200,
  targetTrain: 40,
  targetVal: 10,
  targetTest: 40,
});

/** Power of one channel at frequency f (a single DFT bin, enough to compare classes). */
const power = (x: Float32Array, off: number, stride: number, f: number): number => {
  let re = 0;
  let im = 0;
  for (let t = 0; t < LENGTH; t++) {
    const v = x[off + t * stride]!;
    re += v * Math.cos((2 * Math.PI * f * t) / FS);
    im += v * Math.sin((2 * Math.PI * f * t) / FS);
  }
  return (re * re + im * im) / LENGTH;
};
const meanBy = (vals: number[], labels: Int32Array, c: number) => {
  const xs = vals.filter((_, i) => labels[i] === c);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};

describe('physio scenario', () => {
  const s = data.source.train;
  const lab = s.label!.data as Int32Array;

  it('has EEG [512, 28] and GSR [512, 1] at 128 Hz, binary labels, no EEG on the target', () => {
    expect(s.superior.shape).toEqual([512, 28]);
    expect(s.weak.shape).toEqual([512, 1]);
    expect(s.label).toMatchObject({ kind: 'classes', classes: 2 });
    expect('superior' in data.target.train).toBe(false);
  });

  it('gives the same bytes in every split for the same seed, and other samples in every split for another seed', () => {
    expectDeterministicBySeed(
      (seed) =>
        generatePhysio({
          seed,
          sourceTrain: 5,
          sourceVal: 1,
          sourceTest: 1,
          targetTrain: 2,
          targetVal: 1,
          targetTest: 1,
        }),
      8,
    );
  });

  it('lowers EEG alpha-band power with high arousal', () => {
    const alpha = Array.from({ length: s.n }, (_, i) =>
      [9, 10, 11].reduce((a, f) => a + power(s.superior.data, i * LENGTH * EEG_CHANNELS + 12, EEG_CHANNELS, f), 0),
    );
    expect(meanBy(alpha, lab, 1)).toBeLessThan(meanBy(alpha, lab, 0));
  });

  it('raises the GSR level with high arousal', () => {
    const level = Array.from(
      { length: s.n },
      (_, i) => s.weak.data.subarray(i * LENGTH, (i + 1) * LENGTH).reduce((a, b) => a + b, 0) / LENGTH,
    );
    expect(meanBy(level, lab, 1)).toBeGreaterThan(meanBy(level, lab, 0) + 0.1);
  });

  it('gives high arousal more skin-conductance responses: more rise over 0.5 s steps, the level removed', () => {
    // The responses' sizes do not depend on arousal, so the summed rise counts them; the drift
    // (at most 0.2 over the window) and the subject's baseline add little to it.
    const rise = Array.from({ length: s.n }, (_, i) => {
      let r = 0;
      for (let t = 64; t < LENGTH; t += 64)
        r += Math.max(0, s.weak.data[i * LENGTH + t]! - s.weak.data[i * LENGTH + t - 64]!);
      return r;
    });
    expect(meanBy(rise, lab, 1)).toBeGreaterThan(1.5 * meanBy(rise, lab, 0));
  });

  it('a linear probe on EEG band powers beats one on GSR, and GSR beats chance', () => {
    const bands: [number, number][] = [
      [4, 8],
      [8, 13],
      [13, 30],
      [30, 45],
    ];
    const channels = [0, 9, 18, 27];
    // log band power of four channels: 16 features
    const eegF = (x: Float32Array, n: number) =>
      Float32Array.from({ length: n * 16 }, (_, q) => {
        const i = Math.floor(q / 16);
        const c = channels[Math.floor(q / 4) % 4]!;
        const [lo, hi] = bands[q % 4]!;
        let p = 0;
        for (let f = lo; f < hi; f++) p += power(x, i * LENGTH * EEG_CHANNELS + c, EEG_CHANNELS, f);
        return Math.log(p + 1e-6);
      });
    // mean GSR level in eight 0.5 s segments
    const gsrF = (x: Float32Array, n: number) =>
      Float32Array.from(
        { length: n * 8 },
        (_, q) =>
          x
            .subarray(Math.floor(q / 8) * LENGTH + (q % 8) * 64, Math.floor(q / 8) * LENGTH + (q % 8) * 64 + 64)
            .reduce((a, b) => a + b, 0) / 64,
      );
    const y = (l: Int32Array) => Float32Array.from(l, (v) => v * 2 - 1);
    const t = data.source.test;
    const yt = y(t.label!.data as Int32Array);
    const eeg = ridgeProbeMse(eegF(s.superior.data, s.n), y(lab), eegF(t.superior.data, t.n), yt, 16, 1, 1);
    const gsr = ridgeProbeMse(gsrF(s.weak.data, s.n), y(lab), gsrF(t.weak.data, t.n), yt, 8, 1, 1);
    expect(eeg).toBeLessThan(gsr);
    expect(gsr).toBeLessThan(1);
  });
});

describe('physio: the premise', () => {
  it('reproduces its direction: the EEG teacher beats GSR alone by far, GSR alone is off the floor and the ceiling, CMKD is not below it (default source stage, seeds 1-3)', async () => {
    const mean = await sourcePremise(
      (seed, sourceTrain) => generatePhysio({ seed, sourceTrain, targetTrain: 5, targetVal: 5, targetTest: 5 }),
      [1, 2, 3],
    );
    // Band powers in 28 channels against one channel's response count: the old generator's GSR
    // student sat near chance (0.60) and was no better with 4x the labels.
    expect(mean.teacher - mean.studentNoKd).toBeGreaterThan(0.1);
    expect(mean.studentNoKd).toBeGreaterThan(0.62);
    expect(mean.studentNoKd).toBeLessThan(0.8);
    expect(mean.studentKd).toBeGreaterThanOrEqual(mean.studentNoKd);
  }, 300_000);
});

describe('physio: data.shift scales how far the target subjects are from the source', () => {
  const small = { sourceTrain: 16, sourceVal: 4, sourceTest: 4, targetTrain: 16, targetVal: 4, targetTest: 4 };

  it('at shift 1 gives the same bytes as without the option (every target trial from a new subject, as before)', () => {
    expectShiftOneAsWithout(generatePhysio, [
      { seed: 4, ...small },
      { seed: 4, ...small, sourceSubjects: 3, targetSubjects: 2 },
    ]);
  });

  it("at shift 0 draws the target's trials from the source's subjects: the target's mean GSR level per trial slot matches the source's", () => {
    // trial i of either side is subject i mod 16; at shift 0 the same subjects, at shift 1 others
    const sizes = { sourceTrain: 5, sourceVal: 5, sourceTest: 320, targetTrain: 5, targetVal: 5, targetTest: 320 };
    const levelBySubject = (x: Float32Array): number[] =>
      Array.from({ length: 16 }, (_, k) => {
        let s = 0;
        for (let i = k; i < 320; i += 16) for (let t = 0; t < LENGTH; t++) s += x[i * LENGTH + t]!;
        return s / (20 * LENGTH);
      });
    const gap = (shift: number): number => {
      const d = generatePhysio({ seed: 2, ...sizes, shift });
      const a = levelBySubject(d.source.test.weak.data);
      const b = levelBySubject(d.target.test.weak.data);
      return a.reduce((m, v, k) => m + Math.abs(v - b[k]!), 0) / 16;
    };
    // subjects' baselines spread over ±1.5: other subjects differ by about 1, the same ones by trial noise
    expect(gap(0)).toBeLessThan(0.25);
    expect(gap(1)).toBeGreaterThan(2 * gap(0));
  });

  it("beyond 1 the new subjects' GSR sensor is noisier: the target's roughness rises monotonically", () => {
    const sizes = { sourceTrain: 5, sourceVal: 5, sourceTest: 5, targetTrain: 5, targetVal: 5, targetTest: 200 };
    const r = [1, 2, 4].map((shift) =>
      meanAbsStep(generatePhysio({ seed: 3, ...sizes, shift }).target.test.weak.data, 1),
    );
    r.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(r[i]!));
  });

  it('states the shift in its notes', () => {
    expect(generatePhysio({ seed: 1, ...small, shift: 0.5 }).notes.join(' ')).toMatch(/source → target shift ×0\.5 /);
  });

  it('is deterministic by seed at a shift other than 1', () => {
    expectDeterministicBySeed((seed) => generatePhysio({ seed, ...small, shift: 0.5 }), 8);
  });

  it('refuses a shift above 4, naming the range', () => {
    expect(() => generatePhysio({ seed: 1, ...small, shift: 5 })).toThrow(
      /physio: shift must be a number in \[0, 4\].*got 5/,
    );
  });
});
