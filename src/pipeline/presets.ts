/**
 * Presets: `quick` (a smoke run), `default` (5 seeds, the paired evidence), `paper` (the KaP regime:
 * a label-scarce target trained long, the source trained to convergence) and `full` (wider models).
 * Only sizes, step caps and grids differ; the methods are the same. Every model trains until its
 * validation metric stops improving (`patience` validations, 10 over the cap), within the cap.
 * The source has `sourceTrain` pairs of which `sourceLabelled` carry labels: paired data from a
 * sensor rig is cheap, labels are not, and that is where cross-modal distillation pays (measured on
 * hands: with every pair labelled it did not help; see README).
 */
import type { Config } from './config.js';

const base: Omit<Config, 'preset' | 'data' | 'teacher' | 'student' | 'target' | 'seeds'> = {
  scenario: 'hands',
  seed: 1,
  devices: ['browser-desktop', 'phone-mid', 'mcu-class'],
  // Cosine alignment (scale-free); the KD weight is chosen on the source validation split.
  distill: { temperature: 4, lambdaKd: [0.5, 2], lambdaFeat: [0.3], projection: 'linear', rank: 16 },
  prior: {
    // The encoder: priors over the whole network hold the head back on hands, whose target labels are
    // rooted elsewhere. On the target validation split (2 seeds, best AUC during training) every prior
    // scored higher on the encoder than on all layers: kap 0.399 vs 0.385, l2sp 0.404 vs 0.394.
    layers: ['encoder0'],
    // One strength grid for l2sp, fisher, kap and kapFixed (mean per-parameter weight λ/2).
    strengths: [0.01, 0.1, 1],
    fisherBatches: 16,
    kap: {
      form: 'gaussian',
      mu: 'source',
      granularity: 'parameter',
      initWeight: 0.01,
      alpha: 0.01,
      beta: 0.05,
      steps: 100,
      innerSteps: 1,
      episode: 25,
      subset: 200,
    },
  },
  compress: {
    calibration: 'percentile',
    percentile: 99.99,
    calibrationSamples: 256,
    mixedBytesRatio: 0.6,
    pruneSparsity: 0.5,
  },
};

// gauss only (other scenarios ignore them): γ of the main run, and the γ grid of the KD-gain sweep.
const gammaDefaults = { gamma: 0.5, gammaSweep: [0, 0.25, 0.5, 0.75, 1] };

export const PRESETS: Record<Config['preset'], Config> = {
  quick: {
    ...base,
    preset: 'quick',
    seeds: 1,
    data: {
      sourceTrain: 600,
      sourceLabelled: 200,
      targetLabelled: 100,
      targetTest: 200,
      sweep: [100],
      handsTargetRoot: 'palm',
      // Every embedded scenario's target as stated (src/scenarios/targetShift.ts).
      shift: 1,
      ...gammaDefaults,
      gammaSweep: [0, 1],
    },
    teacher: { width: 8, depth: 2, steps: 60, lr: 3e-3, batchSize: 16, patience: 3 },
    student: { width: 8, depth: 2, steps: 60, lr: 3e-3, batchSize: 16, patience: 3 },
    target: { steps: 40, lr: 1e-3, batchSize: 16, patience: 3 },
    distill: { ...base.distill, lambdaKd: [1] },
    prior: {
      ...base.prior,
      strengths: [0.03, 0.3],
      fisherBatches: 4,
      kap: { ...base.prior.kap, steps: 15, episode: 15, subset: 100 },
    },
    compress: { ...base.compress, calibrationSamples: 128 },
  },
  default: {
    ...base,
    preset: 'default',
    // 6 seeds: on 2 cores the seeds run in 3 rounds of 2, so the 6th costs no time over 5.
    seeds: 6,
    data: {
      sourceTrain: 2000,
      sourceLabelled: 500,
      targetLabelled: 200,
      targetTest: 500,
      sweep: [200],
      handsTargetRoot: 'palm',
      shift: 1,
      ...gammaDefaults,
    },
    // 300 source steps: at 150 the hands models and all but one of cardio's 18 stopped at the cap
    // while still improving, and METHODS §1 trains until validation stops improving. Source stage, seeds 1-3
    // (hands) and 1-6 (cardio), CMKD − alone: hands +0.015 → +0.024, cardio +0.010 → +0.027 (positive
    // on every seed at 300).
    teacher: { width: 8, depth: 2, steps: 300, lr: 3e-3, batchSize: 16, patience: 3 },
    student: { width: 8, depth: 2, steps: 300, lr: 3e-3, batchSize: 16, patience: 3 },
    // 80 target steps: at 100 no prior was distinguishable from fine-tuning (stop 13, 6 seeds), and
    // two runs of this preset at 100 took 298 and 329 s: the cut keeps the 5-minute budget with a margin.
    target: { steps: 80, lr: 1e-3, batchSize: 16, patience: 3 },
    // λ_kd fixed at what the source validation split chose between 0.5 and 2 on 5 of 6 seeds (stop 13,
    // this preset): one CMKD training per seed instead of two, for the 5-minute budget. `paper`
    // keeps the choice on validation.
    distill: { ...base.distill, lambdaKd: [2] },
    // Two strengths, bracketing what target validation chose on a 3-point grid (5 seeds, stop 12:
    // 0.1 for l2sp and kap, 0.01 for fisher; λ = 1 was worse for every prior): the 5-minute budget.
    prior: { ...base.prior, strengths: [0.01, 0.1], fisherBatches: 6, kap: { ...base.prior.kap, steps: 50 } },
  },
  paper: {
    ...base,
    preset: 'paper',
    seeds: 6,
    // KaP's regime: few target labels (50) and a small validation split, a long target training.
    data: {
      sourceTrain: 2000,
      sourceLabelled: 500,
      targetLabelled: 50,
      targetTest: 500,
      sweep: [50],
      handsTargetRoot: 'palm',
      shift: 1,
      ...gammaDefaults,
    },
    teacher: { width: 8, depth: 2, steps: 600, lr: 3e-3, batchSize: 16, patience: 4 },
    student: { width: 8, depth: 2, steps: 600, lr: 3e-3, batchSize: 16, patience: 4 },
    // Batch 8 of the 50 labels: 1000 steps are 160 epochs; the 30-minute budget.
    target: { steps: 1000, lr: 1e-3, batchSize: 8, patience: 4 },
    // Target validation chose λ = 1, the top of [0.01, 0.1, 1], for every prior (stop 12): the grid
    // moves up to hold that optimum inside it, two points for the 30-minute budget.
    prior: { ...base.prior, strengths: [1, 3], kap: { ...base.prior.kap, steps: 150, episode: 50, subset: 50 } },
  },
  full: {
    ...base,
    preset: 'full',
    seeds: 5,
    data: {
      sourceTrain: 4000,
      sourceLabelled: 1000,
      targetLabelled: 200,
      targetTest: 1000,
      sweep: [50, 100, 200, 500],
      handsTargetRoot: 'palm',
      shift: 1,
      ...gammaDefaults,
    },
    teacher: { width: 24, depth: 2, steps: 2000, lr: 3e-3, batchSize: 32, patience: 4 },
    student: { width: 16, depth: 2, steps: 2000, lr: 3e-3, batchSize: 32, patience: 4 },
    target: { steps: 800, lr: 1e-3, batchSize: 32, patience: 4 },
    prior: { ...base.prior, kap: { ...base.prior.kap, steps: 300, episode: 100 } },
  },
};

/**
 * The reduced setting of the Modality Focusing Hypothesis check on `gauss` (test and bench share it):
 * small dense models, 60 labelled of 1000 pairs, logit KD only.
 */
export const GAUSS_TREND_CONFIG: Config = {
  ...PRESETS.quick,
  data: { ...PRESETS.quick.data, sourceLabelled: 60 },
  teacher: { width: 4, depth: 2, steps: 150, lr: 1e-2, batchSize: 32, patience: 3 },
  student: { width: 4, depth: 2, steps: 150, lr: 1e-2, batchSize: 32, patience: 3 },
  distill: { ...PRESETS.quick.distill, lambdaFeat: [0], lambdaKd: [1], temperature: 2 },
};
