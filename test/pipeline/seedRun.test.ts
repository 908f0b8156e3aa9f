/**
 * One seed as a composition of stages, on the tiny gauss run: every stage's output is in the result
 * and consistent with the stages before it, each stage is timed, the first seed alone deploys, and no
 * tensor outlives the seed, whether it finishes or fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { defaultKernels, type KernelModule } from '../../src/kernels/loader.js';
import { BUILTIN_DEVICES } from '../../src/resource/deviceProfile.js';
import { SEED_STAGES, seedStages, type SeedResult } from '../../src/pipeline/seedRun.js';
import { targetMethods } from '../../src/pipeline/targetStage.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { finite } from '../support/finite.js';
import { leftOf, rightOf } from '../support/either.js';
import { TINY, unitInterval } from '../support/tinyRun.js';

let kernels: KernelModule;
let first: SeedResult;
let tensorsBefore = 0;
let tensorsAfter = 0;
const devices = BUILTIN_DEVICES.slice(0, 2);

beforeAll(async () => {
  await initTraining();
  kernels = await defaultKernels();
  tensorsBefore = tf.memory().numTensors;
  first = rightOf(await seedStages(TINY, { seed: 0, first: true, devices, kernels, onProgress: () => {} })());
  tensorsAfter = tf.memory().numTensors;
}, 120_000);

describe('a seed of the pipeline', () => {
  it('times every stage it ran, in the order SEED_STAGES tells progress views, each non-negative', () => {
    expect(Object.keys(first.stages)).toEqual([...SEED_STAGES.first]);
    expect(SEED_STAGES.first).toEqual([
      'scenario',
      'source',
      'prior',
      'save',
      'multi-modal',
      'target',
      'compress+deploy',
      'sweep',
    ]);
    for (const s of Object.values(first.stages)) expect(s).toBeGreaterThanOrEqual(0);
  });

  it('scores the source models in the metric range, the students on the weak modality', () => {
    expect(first.source.scores).toEqual({ teacher: unitInterval, studentNoKd: unitInterval, studentKd: unitInterval });
    expect(TINY.distill.lambdaKd).toContain(first.source.distill.lambdaKd);
    for (const k of ['teacher', 'studentNoKd', 'studentKd'] as const)
      expect(first.source.stepsRun[k]).toBeLessThanOrEqual(TINY.teacher.steps);
  });

  it('has a result per target method, one per strength of the grid for the priors', () => {
    expect(Object.keys(first.target)).toEqual(targetMethods());
    expect(first.target['scratch']).toHaveLength(1);
    expect(first.target['scratch']![0]!.strength).toBeNull();
    expect(first.target['kap']!.map((r) => r.strength)).toEqual(TINY.prior.strengths);
    for (const rs of Object.values(first.target))
      for (const r of rs) expect(r).toMatchObject({ score: unitInterval, val: unitInterval });
  });

  it('records what KaP meta-learning did, with finite statistics', () => {
    expect(first.kapStats).toMatchObject({ phiSpread: finite, outerLossFirst: finite, outerLossLast: finite });
  });

  it('deploys the first seed’s kap student: a decodable int8 model, one plan per device', () => {
    const f = first.first!;
    expect(rightOf(decodeQModel(f.deploy.optionBytes['int8']!)).bytes).toBe(f.deploy.optionBytes['int8']!.length);
    expect(f.deploy.deployment.map((d) => d.device)).toEqual(devices.map((d) => d.name));
    expect(f.deploy.compression.int8.bytes).toBeLessThan(f.deploy.compression.float.bytes);
    expect(f.multiModal!.deployment).toHaveLength(devices.length);
  });

  it('sweeps the labelled-set sizes, reusing the main target run at its own size', () => {
    const f = first.first!;
    expect(Object.keys(f.sweep)).toEqual(targetMethods());
    // The only sweep size is the main run's: its value is the best-validation result of that run.
    const best = first.target['finetune']!.reduce((b, r) => (r.val > b.val ? r : b));
    expect(f.sweep['finetune']).toEqual([best.score]);
  });

  it('releases every tensor it made', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
  });

  it('does not deploy, sweep or keep extras on a later seed', async () => {
    const r = rightOf(await seedStages(TINY, { seed: 1, first: false, devices, kernels, onProgress: () => {} })());
    expect(r.first).toBeUndefined();
    expect(Object.keys(r.stages)).toEqual([...SEED_STAGES.later]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 120_000);

  it('ends with the failing stage’s typed error and still releases the source models', async () => {
    // No parameter path starts with this layer: the prior stage fails, after the source stage trained models.
    const bad = { ...TINY, prior: { ...TINY.prior, layers: ['encoder7'] } };
    const e = leftOf(await seedStages(bad, { seed: 0, first: false, devices, kernels, onProgress: () => {} })());
    expect(e.tag).toBe('InvalidConfig');
    expect(e.message).toMatch(/encoder7/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 120_000);
});
