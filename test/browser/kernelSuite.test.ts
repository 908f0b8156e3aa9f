/**
 * The int8 kernel suite in Chromium: every build fetched by URL, and the threads build also split
 * over Web Worker pools on the page's cross-origin-isolated shared memory; with the edge cases
 * (general depthwise, extreme zero points, exact ties, large accumulators).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { gemmF32 } from '../../src/kernels/f32.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { refGemmF32 } from '../../src/kernels/reference/f32.js';
import { createThreadPool, type ThreadPool } from '../../src/kernels/threadPool.js';
import { defineQs8Suites } from '../kernels/suites/qs8Suites.js';

const pools: ThreadPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.dispose()));
});

defineQs8Suites();

describe('thread pool in Chromium', () => {
  it('runs on Web Workers', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2);
    pools.push(pool);
    expect(pool.mode).toBe('web-workers');
  });
});

describe('f32 kernels in Chromium', () => {
  it.each(['simd', 'relaxed', 'threads'] as const)(
    'GEMM 33×65×17 agrees with the reference within 1e-5 (%s build)',
    async (build) => {
      const k = await loadKernels({ build });
      const rng = createRng(4);
      const a = Float32Array.from({ length: 33 * 65 }, () => rng.normal());
      const b = Float32Array.from({ length: 65 * 17 }, () => rng.normal());
      const dims = { m: 33, k: 65, n: 17 };
      const y = gemmF32(k, a, b, dims);
      const r = refGemmF32(a, b, dims);
      for (let i = 0; i < r.length; i++)
        expect(Math.abs(y[i]! - r[i]!)).toBeLessThanOrEqual(1e-5 * (Math.abs(r[i]!) + 65 * 3));
    },
  );
});
