/**
 * The target stage on the tiny gauss run: every method trained on the same labelled subset, the priors
 * at every strength of the grid, and the kept kap student is the one its results describe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { flattenParams } from '../../src/nn/paramTree.js';
import { priorMethods, targetMethods, type TargetStageOutput } from '../../src/pipeline/targetStage.js';
import { predictAll } from '../../src/pipeline/tensorBatches.js';
import { priorNames } from '../../src/priors/registry.js';
import { TINY, tinySeed, tinyTarget, unitInterval, type TinySeed } from '../support/tinyRun.js';

let seed: TinySeed;
let out: TargetStageOutput;
let tensorsBefore = 0;
let studentBefore: number[][];

const weightsOf = (s: TinySeed) => flattenParams(s.source.studentKd.params).map(([, v]) => Array.from(v.dataSync()));
const run = (keepKap: boolean) => tinyTarget(seed, { keepKap });

beforeAll(async () => {
  await initTraining();
  seed = await tinySeed(5);
  studentBefore = weightsOf(seed);
  tensorsBefore = tf.memory().numTensors;
  out = await run(true);
}, 120_000);
afterAll(() => seed.dispose());

describe('the target stage', () => {
  it('learned one prior per registered family, over the configured layers only', () => {
    expect(Object.keys(seed.priors.byMethod)).toEqual([...priorNames()]);
    for (const p of Object.values(seed.priors.byMethod))
      for (const t of p.terms) expect(TINY.prior.layers.some((l) => t.path.startsWith(`${l}/`))).toBe(true);
  });

  it('runs every method: one result without a prior, one per strength with one', () => {
    expect(Object.keys(out.results)).toEqual([...targetMethods()]);
    for (const m of ['scratch', 'finetune']) expect(out.results[m]!.map((r) => r.strength)).toEqual([null]);
    for (const m of priorMethods()) expect(out.results[m]!.map((r) => r.strength)).toEqual(TINY.prior.strengths);
    for (const rs of Object.values(out.results))
      for (const r of rs) expect(r).toMatchObject({ score: unitInterval, val: unitInterval });
  });

  it('marks a result borrowed from an identical prior with the method it came from', () => {
    for (const rs of Object.values(out.results))
      for (const r of rs.filter((x) => x.sameAs !== undefined)) {
        const twin = out.results[r.sameAs!]!.find((x) => x.strength === r.strength);
        expect(twin?.score).toBe(r.score);
      }
  });

  it('keeps the kap student best on validation, and it scores what its result says', () => {
    const kap = out.results['kap']!;
    const best = kap.reduce((b, r) => (r.val > b.val ? r : b));
    const kept = out.kept!;
    expect(kept.labelled.n).toBe(TINY.data.targetLabelled);
    const test = seed.data.target.test;
    const pred = predictAll(test.weak, test.n, (x) => kept.model.forward([x], { training: false }).output);
    expect(seed.task.metric(pred, test.label!)).toBe(best.score);
  });

  it('leaves the source student as it found it', () => {
    expect(weightsOf(seed)).toEqual(studentBefore);
  });

  it('keeps nothing unless asked, and leaves no tensor once the kept model is released', async () => {
    out.kept!.model.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const again = await run(false);
    expect(again.kept).toBeNull();
    expect(again.results).toEqual(out.results);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 120_000);
});
