/** The seed pool's own checks (the parallel run itself is checked end to end in test/cli/run.test.ts). */
import { describe, expect, it } from 'vitest';
import { runSeeds } from '../../src/pipeline/seedPool.js';
import { PRESETS } from '../../src/pipeline/presets.js';
import { isKapriError } from '../../src/core/errors.js';

describe('runSeeds', () => {
  it.each([0, -1, 1.5, 65, Number.NaN])('refuses %s jobs with a typed error before any work', async (jobs) => {
    let loaded = false;
    const e = await runSeeds(PRESETS.quick, {
      seeds: [1, 2],
      jobs,
      devices: [],
      kernels: async () => {
        loaded = true;
        throw new Error('not reached');
      },
      onProgress: () => undefined,
    }).catch((err: unknown) => err);
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect((e as Error).message).toMatch(/jobs must be an integer in \[1, 64\]/);
    expect(loaded).toBe(false);
  });
});

describe('runSeeds on worker threads', () => {
  it('ends a seed whose worker outgrows its heap limit with OutOfMemory naming the seed and the limit', async () => {
    const e = await runSeeds(PRESETS.quick, {
      seeds: [1, 2],
      jobs: 2,
      devices: [],
      kernels: async () => {
        throw new Error('not reached: the seeds run on workers');
      },
      onProgress: () => undefined,
      heapLimitMb: 4,
    }).catch((err: unknown) => err);
    expect(isKapriError(e, 'OutOfMemory')).toBe(true);
    expect((e as Error).message).toMatch(
      /seed [12]: its worker ran out of memory \(a JavaScript heap of at most 4 MiB per job\)/,
    );
  }, 120_000);
});
