/**
 * The smallest pipeline run, for the stage tests: gauss (feature vectors), a few steps of everything,
 * one seed, no devices. Its numbers mean nothing; its shapes, ranges and bookkeeping are the real ones.
 */
import { deepMerge, decodeConfig, type Config } from '../../src/pipeline/config.js';
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
