/**
 * The smallest pipeline run, for the stage tests: gauss (feature vectors), a few steps of everything,
 * one seed, no devices. Its numbers mean nothing; its shapes, ranges and bookkeeping are the real ones.
 */
import { createRng, type Rng } from '../../src/core/rng.js';
import { defaultKernels } from '../../src/kernels/loader.js';
import { deepMerge, decodeConfig, type Config } from '../../src/pipeline/config.js';
import { cmkdPartsOf, scenarioOf } from '../../src/pipeline/seedRun.js';
import { runSourceStage, type SourceStageResult } from '../../src/pipeline/sourceStage.js';
import { learnPriors, runTargetStage, type Priors, type TargetStageOutput } from '../../src/pipeline/targetStage.js';
import type { TaskSpec } from '../../src/pipeline/taskSpec.js';
import type { ScenarioData } from '../../src/scenarios/scenario.js';
import { PRESETS } from '../../src/pipeline/presets.js';
import { rightOf } from './either.js';

export const TINY: Config = rightOf(
  decodeConfig(
    deepMerge(PRESETS.quick, {
      scenario: 'gauss',
      seed: 0,
      devices: [],
      data: { sourceTrain: 64, sourceLabelled: 32, targetLabelled: 16, targetTest: 16, sweep: [16], gammaSweep: [] },
      teacher: { width: 2, steps: 3, batchSize: 16 },
      student: { width: 2, steps: 3, batchSize: 16 },
      target: { steps: 2, batchSize: 8 },
      prior: { fisherBatches: 1, strengths: [0.1, 1], kap: { steps: 2, subset: 16 } },
      compress: { calibrationSamples: 16 },
    }),
  ),
);

/** A metric in [0, 1] (accuracy, AUC): the range every gauss score must fall in. */
export const unitInterval = {
  asymmetricMatch: (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1,
  toString: (): string => 'in [0, 1]',
  toAsymmetricMatcher: (): string => 'a number in [0, 1]',
};

/** The scenario, the trained source models and the learned priors of one tiny seed (dispose when done). */
export interface TinySeed {
  readonly data: ScenarioData;
  readonly task: TaskSpec;
  readonly source: SourceStageResult;
  readonly priors: Priors;
  readonly rng: Rng;
  dispose(): void;
}

/** Runs the stages before the target on the tiny config (training must be initialised). */
export const tinySeed = async (seed: number, config: Config = TINY): Promise<TinySeed> => {
  const rng = createRng(seed);
  const options = { seed, first: false, devices: [], kernels: await defaultKernels(), onProgress: () => {} };
  const base = { config, options, rng, timings: {} };
  const scenario = scenarioOf(base);
  const source = await runSourceStage({
    source: scenario.data.source,
    task: scenario.task,
    config,
    rng: rng.fork('source'),
  });
  const ctx = { ...base, scenario, source };
  const priors = await learnPriors(
    cmkdPartsOf(ctx),
    { train: source.labelled, val: scenario.data.source.val },
    scenario.task,
    config,
    rng.fork('priors'),
  );
  return {
    ...scenario,
    source,
    priors,
    rng,
    dispose: () => {
      source.teacher.dispose();
      source.studentKd.dispose();
      source.projection.dispose();
    },
  };
};

/** The target stage of a tiny seed at the config's labelled size (the caller disposes a kept model). */
export const tinyTarget = (
  s: TinySeed,
  options: { readonly keepKap: boolean; readonly methods?: readonly string[] },
): Promise<TargetStageOutput> =>
  runTargetStage({
    target: s.data.target,
    studentSrc: s.source.studentKd,
    priors: s.priors,
    task: s.task,
    config: TINY,
    labelled: TINY.data.targetLabelled,
    rng: s.rng.fork('target'),
    ...options,
  });
