/**
 * Registers the int8 kernel suites (./qs8Suite.ts and the edge cases, ./qs8EdgeSuite.ts) for every
 * build: the threads build also runs every call split across a 2- and a 3-thread pool with no size
 * threshold (worker_threads in Node, Web Workers in Chromium). The pools are disposed after the file.
 */
import { afterAll } from 'vitest';
import type { KernelModule } from '../../../src/kernels/loader.js';
import { createThreadPool, type ThreadPool } from '../../../src/kernels/threadPool.js';
import { defineQs8EdgeSuite } from './qs8EdgeSuite.js';
import { defineQs8Suite, type ExtraRunners } from './qs8Suite.js';

/** Registers both suites for the simd, relaxed and threads builds. */
export const defineQs8Suites = (): void => {
  const pools: ThreadPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
  });
  const twoAndThree = async (k: KernelModule): Promise<ExtraRunners> => {
    const two = await createThreadPool(k, 2, { minParallelWork: 0 });
    const three = await createThreadPool(k, 3, { minParallelWork: 0 });
    pools.push(two, three);
    return [
      [`2 threads (${two.mode})`, two],
      [`3 threads (${three.mode})`, three],
    ];
  };
  for (const build of ['simd', 'relaxed'] as const) {
    defineQs8Suite(build);
    defineQs8EdgeSuite(build);
  }
  defineQs8Suite('threads', twoAndThree);
  defineQs8EdgeSuite('threads', twoAndThree);
};
