import { beforeAll, describe, expect, it } from 'vitest';
import { generateGauss } from '../../src/scenarios/gauss/gauss.js';
import { initTraining } from '../../src/backend/initTraining.js';
import { runSourceStage } from '../../src/pipeline/sourceStage.js';
import { classTask } from '../../src/pipeline/taskSpec.js';
import { GAUSS_TREND_CONFIG } from '../../src/pipeline/presets.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { expectDeterministicBySeed, expectShiftOneAsWithout } from '../support/scenarioBytes.js';

beforeAll(async () => {
  await initTraining();
});

const sizes = { sourceTrain: 1000, sourceVal: 200, sourceTest: 500, targetTrain: 10, targetVal: 10, targetTest: 10 };

describe('gauss scenario', () => {
  it('gives the same bytes in every split for the same seed, and other samples in every split for another seed', () => {
    const small = { sourceTrain: 20, sourceVal: 5, sourceTest: 5, targetTrain: 5, targetVal: 5, targetTest: 5 };
    expectDeterministicBySeed((seed) => generateGauss({ seed, gamma: 0.5, ...small }), 3);
  });

  it('puts only the modality-general share γ of the decisive features in the weak modality', () => {
    const d0 = generateGauss({ seed: 1, gamma: 0, ...sizes });
    const d1 = generateGauss({ seed: 1, gamma: 1, ...sizes });
    // With γ = 1 the weak modality separates the classes linearly along wᵀz; with γ = 0 it carries nothing:
    // its features are pure noise, independent of the label.
    const lab = d0.source.train.label!.data as Int32Array;
    const classMeanGap = (x: Float32Array) => {
      let best = 0;
      for (let f = 0; f < 500; f++) {
        let m1 = 0;
        let m0 = 0;
        let n1 = 0;
        for (let i = 0; i < 1000; i++) {
          if (lab[i]) {
            m1 += x[i * 500 + f]!;
            n1++;
          } else m0 += x[i * 500 + f]!;
        }
        best = Math.max(best, Math.abs(m1 / n1 - m0 / (1000 - n1)));
      }
      return best;
    };
    expect(classMeanGap(d1.source.train.weak.data)).toBeGreaterThan(0.3);
    expect(classMeanGap(d0.source.train.weak.data)).toBeLessThan(0.25);
  });

  it('refuses γ outside [0, 1]', () => {
    let e: unknown = null;
    try {
      generateGauss({ seed: 1, gamma: 1.5 });
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'InvalidConfig')).toBe(true);
  });

  it('distillation gains more as the modality-general share γ grows (reduced size)', async () => {
    const config = GAUSS_TREND_CONFIG;
    const gain = async (gamma: number) => {
      let g = 0;
      for (const seed of [1, 2]) {
        const d = generateGauss({ seed, gamma, ...sizes });
        const r = await runSourceStage({ source: d.source, task: classTask(2, 2), config, rng: createRng(seed) });
        g += (r.scores.studentKd - r.scores.studentNoKd) / 2;
        [r.teacher, r.studentKd, r.projection].forEach((m) => m.dispose());
      }
      return g;
    };
    const low = await gain(0);
    const high = await gain(1);
    expect(high).toBeGreaterThan(low);
    // At γ = 1 distillation must help by more than a point (5 seeds of the default preset: +0.037).
    expect(high).toBeGreaterThan(0.01);
  }, 300_000);
});

describe('gauss: data.shift scales the target noise', () => {
  const sizes = { sourceTrain: 5, sourceVal: 5, sourceTest: 200, targetTrain: 5, targetVal: 5, targetTest: 200 };
  const variance = (x: Float32Array): number => {
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    return x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length;
  };

  it('at shift 1 gives the same bytes as without the option (the target noise 1.5×, in the same draw order)', () => {
    expectShiftOneAsWithout(generateGauss, [{ seed: 4, ...sizes }]);
  });

  it("at shift 0 gives the target the source's feature variance (within 1%); a larger shift raises it as (1 + 0.5·shift)²", () => {
    const shifts = [0, 0.5, 1, 2, 4];
    const v = shifts.map((shift) => {
      const d = generateGauss({ seed: 3, ...sizes, shift });
      return { source: variance(d.source.test.weak.data), target: variance(d.target.test.weak.data) };
    });
    expect(Math.abs(v[0]!.target / v[0]!.source - 1)).toBeLessThan(0.01);
    v.slice(1).forEach((x, i) => expect(x.target).toBeGreaterThan(v[i]!.target));
    // 475 of the 500 features are noise of scale 1 + 0.5·shift; the 25 decisive ones stay unit variance.
    shifts.forEach((s, i) => expect(v[i]!.target).toBeCloseTo((475 * (1 + 0.5 * s) ** 2 + 25) / 500, 1));
  });

  it('states the target noise it used in the notes', () => {
    const note = (shift: number) => generateGauss({ seed: 1, ...sizes, shift }).notes.join(' ');
    expect(note(0)).toMatch(/noise scale 1 \(source 1\): the source → target shift ×0 /);
    expect(note(1)).toMatch(/noise scale 1\.5 \(source 1\)/);
    expect(note(4)).toMatch(/noise scale 3 /);
  });

  it('is deterministic by seed at a shift other than 1', () => {
    const small = { sourceTrain: 20, sourceVal: 5, sourceTest: 5, targetTrain: 5, targetVal: 5, targetTest: 5 };
    expectDeterministicBySeed((seed) => generateGauss({ seed, ...small, shift: 0 }), 3);
  });

  it('refuses a shift that is not a number in [0, 4]', () => {
    expect(() => generateGauss({ seed: 1, shift: -0.1 })).toThrow(
      /gauss: shift must be a number in \[0, 4\].*got -0\.1/,
    );
    expect(() => generateGauss({ seed: 1, shift: '1' as unknown as number })).toThrow(/got 1/);
  });
});
