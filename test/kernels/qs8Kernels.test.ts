import { afterAll } from 'vitest';
import { createThreadPool, type ThreadPool } from '../../src/kernels/threadPool.js';
import { defineQs8Suite } from './suites/qs8Suite.js';

const pools: ThreadPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.dispose()));
});

defineQs8Suite('simd');
defineQs8Suite('relaxed');
// The threads build also runs every call split across a 2- and a 3-thread pool (no size threshold).
defineQs8Suite('threads', async (k) => {
  const two = await createThreadPool(k, 2, { minParallelWork: 0 });
  const three = await createThreadPool(k, 3, { minParallelWork: 0 });
  pools.push(two, three);
  return [
    ['2 threads', two],
    ['3 threads', three],
  ];
});
