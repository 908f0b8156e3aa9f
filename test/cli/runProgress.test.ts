/** The run's position and time left, from the seed stages that have finished (a clock under test control). */
import { describe, expect, it } from 'vitest';
import { createRunProgress, formatDuration, formatRunStatus } from '../../src/cli/runProgress.js';

const plan = (jobs: number) => ({
  seeds: [1, 2, 3],
  jobs,
  stages: { first: ['source', 'target', 'deploy'], later: ['source', 'target'] },
});

describe('run progress', () => {
  it('counts the first seed’s extra stages in the total', () => {
    expect(createRunProgress(plan(1), () => 0).status()).toEqual({
      stagesDone: 0,
      stagesTotal: 7,
      elapsedS: 0,
      remainingS: null,
      atLeast: true,
    });
  });

  it('gives a lower bound while a stage still to run has never finished', () => {
    let t = 0;
    const p = createRunProgress(plan(1), () => t);
    p.record(1, 'source', 10);
    t = 10_000;
    // Left: seed 1 target, deploy (never timed), seeds 2 and 3 source (10 each) and target (never timed).
    expect(p.status()).toMatchObject({ stagesDone: 1, elapsedS: 10, remainingS: 20, atLeast: true });
  });

  it('estimates each remaining stage by its mean so far, shared by the jobs', () => {
    const p = createRunProgress(plan(2), () => 0);
    p.record(1, 'source', 10);
    p.record(1, 'target', 30);
    p.record(1, 'deploy', 5);
    p.record(2, 'source', 20);
    // Left: seed 2 target (30), seed 3 source (mean 15) and target (30): 75 s of work on 2 jobs.
    expect(p.status()).toMatchObject({ stagesDone: 4, stagesTotal: 7, remainingS: 37.5, atLeast: false });
  });

  it('says how far the run is in words', () => {
    expect(formatRunStatus({ stagesDone: 4, stagesTotal: 7, elapsedS: 130, remainingS: 37.5, atLeast: false })).toBe(
      'stage 4 of 7, 2 min 10 s elapsed, about 38 s left',
    );
    expect(formatRunStatus({ stagesDone: 1, stagesTotal: 7, elapsedS: 10, remainingS: 20, atLeast: true })).toBe(
      'stage 1 of 7, 10 s elapsed, at least 20 s left',
    );
    expect(formatRunStatus({ stagesDone: 0, stagesTotal: 7, elapsedS: 2, remainingS: null, atLeast: true })).toBe(
      'stage 0 of 7, 2 s elapsed, estimating the rest',
    );
  });

  it('formats durations in seconds, minutes or hours', () => {
    expect([0.4, 59.6, 61, 3599, 3720].map(formatDuration)).toEqual([
      '0 s',
      '1 min 00 s',
      '1 min 01 s',
      '59 min 59 s',
      '1 h 02 min',
    ]);
  });
});
