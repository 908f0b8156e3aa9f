/**
 * The source stage on the tiny gauss run: the teacher on the superior modality, the students on the
 * weak one, the KD weight chosen on validation among the candidates, scores that the returned models
 * reproduce, and nothing left behind once the caller releases the models.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { scenarioOf } from '../../src/pipeline/seedRun.js';
import { runSourceStage, scoreOn, type SourceStageResult } from '../../src/pipeline/sourceStage.js';
import { defaultKernels } from '../../src/kernels/loader.js';
import { finite } from '../support/finite.js';
import { TINY, unitInterval } from '../support/tinyRun.js';

const config = { ...TINY, distill: { ...TINY.distill, lambdaKd: [0.5, 2] } };
let data: ReturnType<typeof scenarioOf>;
let r: SourceStageResult;
let tensorsBefore = 0;

const run = () =>
  runSourceStage({ source: data.data.source, task: data.task, config, rng: createRng(3).fork('source') });

beforeAll(async () => {
  await initTraining();
  const options = { seed: 3, first: false, devices: [], kernels: await defaultKernels(), onProgress: () => {} };
  data = scenarioOf({ config, options, rng: createRng(3), timings: {} });
  tensorsBefore = tf.memory().numTensors;
  r = await run();
}, 120_000);

describe('the source stage', () => {
  it('labels only the configured share of the pairs', () => {
    expect(r.labelled.n).toBe(config.data.sourceLabelled);
    expect(r.labelled.label?.data.length).toBe(config.data.sourceLabelled);
  });

  it('scores every model in the metric range, and the returned models reproduce their scores', () => {
    expect(r.scores).toEqual({ teacher: unitInterval, studentNoKd: unitInterval, studentKd: unitInterval });
    expect(scoreOn(r.teacher, data.data.source.test, 'superior', data.task)).toBe(r.scores.teacher);
    expect(scoreOn(r.studentKd, data.data.source.test, 'weak', data.task)).toBe(r.scores.studentKd);
  });

  it('tries every KD weight and keeps the one best on source validation', () => {
    expect(r.distill.candidates.map((c) => c.lambdaKd)).toEqual([0.5, 2]);
    const best = Math.max(...r.distill.candidates.map((c) => c.val));
    expect(r.distill.candidates.find((c) => c.lambdaKd === r.distill.lambdaKd)?.val).toBe(best);
    expect(r.validation.studentKd).toBe(best);
  });

  it('stops within each cap and records a finite curve', () => {
    expect(r.stepsRun.teacher).toBeLessThanOrEqual(config.teacher.steps);
    expect(r.stepsRun.studentKd).toBeLessThanOrEqual(config.student.steps);
    for (const curve of Object.values(r.curves)) {
      expect(curve.length).toBeGreaterThan(0);
      for (const p of curve) expect(p.loss).toEqual(finite);
    }
  });

  it('gives the same scores for the same seed', async () => {
    const again = await run();
    expect(again.scores).toEqual(r.scores);
    expect(again.distill).toEqual(r.distill);
    for (const m of [again.teacher, again.studentKd, again.projection]) m.dispose();
  }, 120_000);

  it('leaves no tensor behind once its three models are released', () => {
    for (const m of [r.teacher, r.studentKd, r.projection]) m.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
