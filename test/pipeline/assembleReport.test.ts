/**
 * The report assembled from two tiny seeds: each prior's strength is the one best on mean target
 * validation, every number the report states is the seeds' numbers at that strength, and every method
 * is compared with every other, paired over the seeds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTraining } from '../../src/backend/initTraining.js';
import { defaultKernels } from '../../src/kernels/loader.js';
import { assembleReport, chosenStrength } from '../../src/pipeline/assembleReport.js';
import type { Report } from '../../src/pipeline/report.js';
import { seedStages, type SeedResult } from '../../src/pipeline/seedRun.js';
import { priorMethods, targetMethods, type MethodResult } from '../../src/pipeline/targetStage.js';
import { rightOf } from '../support/either.js';
import { TINY } from '../support/tinyRun.js';

let runs: SeedResult[];
let report: Report;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const result = (val: number, score = 0): MethodResult => ({ strength: 1, score, val, details: {}, curve: [] });

beforeAll(async () => {
  await initTraining();
  const kernels = await defaultKernels();
  runs = [];
  for (const [i, seed] of [0, 1].entries())
    runs.push(rightOf(await seedStages(TINY, { seed, first: i === 0, devices: [], kernels, onProgress: () => {} })()));
  report = assembleReport({
    config: TINY,
    seeds: [0, 1],
    runs,
    gammaSweep: null,
    versions: { kapri: 'test', node: 'test', tfjs: 'test', kernels: 'test' },
    timings: { 'gamma sweep': 2 },
    totalS: 10,
    jobs: 1,
    artifacts: { model: { file: 'model.kapri', bytes: 1, sha256: 'x' }, devices: {} },
  });
}, 240_000);

describe('choosing a strength (equal tuning)', () => {
  it('takes the strength with the best mean validation over seeds, the first on a tie', () => {
    const bySeed = [
      [result(0.5), result(0.7), result(0.7)],
      [result(0.6), result(0.5), result(0.5)],
    ];
    expect(chosenStrength(bySeed, true)).toBe(1);
    expect(chosenStrength(bySeed, false)).toBe(0);
  });
});

describe('the assembled report', () => {
  it('states each method’s per-seed test scores at its chosen strength', () => {
    for (const m of targetMethods()) {
      const bySeed = runs.map((r) => r.target[m]!);
      const j = chosenStrength(bySeed, true);
      expect(report.target.methods[m]!.perSeed).toEqual(bySeed.map((rs) => rs[j]!.score));
      expect(report.target.methods[m]!.mean).toBeCloseTo(mean(bySeed.map((rs) => rs[j]!.score)), 12);
      expect(report.target.validation[m]!.perSeed).toEqual(bySeed.map((rs) => rs[j]!.val));
    }
  });

  it('records the chosen strength and the whole grid for every prior', () => {
    for (const m of priorMethods()) {
      expect(report.target.grid[m]!.map((g) => g.strength)).toEqual(TINY.prior.strengths);
      const bestVal = Math.max(...report.target.grid[m]!.map((g) => g.val));
      expect(report.target.grid[m]!.find((g) => g.strength === report.target.chosen[m]!.strength)!.val).toBe(bestVal);
    }
  });

  it('compares every method with every other, over both seeds', () => {
    const n = targetMethods().length;
    expect(report.target.comparisons).toHaveLength(n * (n - 1));
    for (const c of report.target.comparisons) expect(c.nSeeds).toBe(2);
  });

  it('averages the source scores over the seeds', () => {
    expect(report.source.perSeed['teacher']).toEqual(runs.map((r) => r.source.scores.teacher));
    expect(report.source.teacher).toBeCloseTo(mean(runs.map((r) => r.source.scores.teacher)), 12);
  });

  it('sums the stage timings of the seeds and the run', () => {
    expect(report.timings.stages['source']).toBeCloseTo(runs[0]!.stages['source']! + runs[1]!.stages['source']!, 9);
    expect(report.timings.stages['gamma sweep']).toBe(2);
    expect(report.timings.stages['compress+deploy']).toBe(runs[0]!.stages['compress+deploy']);
  });

  it('takes the deployment and the curves from the first seed', () => {
    expect(report.compression).toBe(runs[0]!.first!.deploy.compression);
    expect(report.learningCurve).toEqual({ sizes: TINY.data.sweep, seed: 0, methods: runs[0]!.first!.sweep });
  });
});
