/**
 * Presets: `quick` (a smoke run in about a minute on 2 cores), `default` (about five minutes) and
 * `full` (the evidence runs). Only sizes and step counts differ; the methods are the same.
 */
import type { Config } from './config.js';

const base: Omit<Config, 'preset' | 'data' | 'teacher' | 'student' | 'target' | 'seeds'> = {
  scenario: 'hands',
  seed: 1,
  devices: ['browser-desktop', 'phone-mid', 'mcu-class'],
  distill: { temperature: 4, lambdaKd: 1, lambdaFeat: 1, projection: 'linear', rank: 16 },
  prior: {
    layers: [],
    l2spLambda: 0.01,
    fisherLambda: 1,
    fisherBatches: 16,
    kap: { form: 'gaussian', mu: 'source', granularity: 'parameter', initWeight: 0.01, alpha: 0.01, beta: 0.01, steps: 100, innerSteps: 1 },
  },
  compress: { calibration: 'percentile', percentile: 99.99, calibrationSamples: 256, mixedBytesRatio: 0.6 },
};

export const PRESETS: Record<Config['preset'], Config> = {
  quick: {
    ...base,
    preset: 'quick',
    seeds: 1,
    data: { sourceTrain: 600, targetLabelled: 100, targetTest: 200, sweep: [50, 100] },
    teacher: { width: 8, steps: 150, lr: 3e-3, batchSize: 32 },
    student: { width: 8, steps: 150, lr: 3e-3, batchSize: 32 },
    target: { steps: 100, lr: 1e-3, batchSize: 32 },
    prior: { ...base.prior, kap: { ...base.prior.kap, steps: 40 } },
  },
  default: {
    ...base,
    preset: 'default',
    seeds: 3,
    data: { sourceTrain: 2000, targetLabelled: 200, targetTest: 500, sweep: [50, 100, 200] },
    teacher: { width: 16, steps: 600, lr: 3e-3, batchSize: 32 },
    student: { width: 16, steps: 600, lr: 3e-3, batchSize: 32 },
    target: { steps: 300, lr: 1e-3, batchSize: 32 },
  },
  full: {
    ...base,
    preset: 'full',
    seeds: 3,
    data: { sourceTrain: 4000, targetLabelled: 200, targetTest: 1000, sweep: [50, 100, 200, 500] },
    teacher: { width: 24, steps: 2000, lr: 3e-3, batchSize: 32 },
    student: { width: 16, steps: 2000, lr: 3e-3, batchSize: 32 },
    target: { steps: 800, lr: 1e-3, batchSize: 32 },
    prior: { ...base.prior, kap: { ...base.prior.kap, steps: 300 } },
  },
};
