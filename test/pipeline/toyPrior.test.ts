/**
 * A prior family defined outside src — "zero": a uniform pull towards 0 — registered with one call,
 * runs through the pipeline (learned on the source, trained on the target at every strength, its
 * strength chosen on validation, compared with every other method) and lands in the report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { PriorFamilyName } from '../../src/pipeline/config.js';
import { runPipelineOrThrow } from '../../src/pipeline/runPipeline.js';
import { priorMethods, targetMethods } from '../../src/pipeline/targetStage.js';
import { selectPaths } from '../../src/priors/prior.js';
import { kapFamily } from '../../src/priors/families/kap.js';
import { registerPrior } from '../../src/priors/registry.js';
import { finite } from '../support/finite.js';
import { TINY } from '../support/tinyRun.js';
import { thrown } from '../support/thrown.js';

registerPrior({
  name: 'zero',
  description: 'a uniform pull of every chosen parameter towards 0',
  learn: ({ parts, config }) => ({
    prior: {
      family: 'zero',
      form: 'gaussian',
      model: parts.student.name,
      meta: {},
      terms: selectPaths(parts.student.params, config.prior.layers).map(([path, v]) => ({
        path,
        shape: v.shape.slice(),
        mu: new Float32Array(v.size),
        weight: new Float32Array([1]),
      })),
    },
  }),
});

describe('a prior family registered from a test', () => {
  beforeAll(() => {
    expect(targetMethods()).toEqual(['scratch', 'finetune', 'l2sp', 'fisher', 'kap', 'kapFixed', 'zero']);
  });

  it('is a target method, with its strength chosen and finite numbers in the report', async () => {
    const { report } = await runPipelineOrThrow(TINY, { devices: [] });
    expect(Object.keys(report.target.methods)).toEqual(targetMethods());
    expect(report.target.methods['zero']).toMatchObject({ mean: finite, std: finite, perSeed: [finite] });
    expect(report.target.validation['zero']?.mean).toEqual(finite);
    expect([0.1, 1]).toContain(report.target.chosen['zero']?.strength);
    expect(report.target.grid['zero']?.map((g) => g.strength)).toEqual([0.1, 1]);
    // A pull towards 0 is no other method's prior: it trained, it did not borrow a twin's result.
    expect(report.target.grid['zero']?.some((g) => g.sameAs !== undefined)).toBe(false);
    expect(report.target.comparisons.filter((c) => c.method === 'zero')).toHaveLength(targetMethods().length - 1);
    expect(report.learningCurve.methods['zero']).toEqual([finite]);
    // The built-in contract is untouched.
    for (const m of ['scratch', 'finetune', 'l2sp', 'fisher', 'kap', 'kapFixed'])
      expect(report.target.methods[m]).toMatchObject({ mean: finite });
    expect(report.priors.kap.phiSpread).toEqual(finite);
  }, 120_000);

  it('is a prior family name to the config codec, and a taken name is refused', () => {
    expect(priorMethods()).toContain('zero');
    expect(PriorFamilyName.is('zero')).toBe(true);
    expect(PriorFamilyName.name).toBe('l2sp | fisher | kap | kapFixed | zero');
    expect(
      isKapriError(
        thrown(() => registerPrior({ ...kapFamily })),
        'DuplicateName',
      ),
    ).toBe(true);
  });
});
