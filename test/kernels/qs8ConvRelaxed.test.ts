/**
 * The relaxed int8 conv path in Node: the kernel (its dot emulated in baseline SIMD on the simd and
 * threads builds) bit-exact with the baseline contract, and the choice of path. Node 20 computes
 * the relaxed accumulate-dot wrongly, so here the path must never be chosen by itself on the
 * relaxed build, and forcing it there is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/loader.js';
import { disposeQs8Conv2d, planQs8Conv2d } from '../../src/kernels/qs8Conv.js';
import { relaxedDotTrusted } from '../../src/kernels/qs8ConvRelaxed.js';
import { relaxedChoice } from '../../src/kernels/relaxedChoice.js';
import { createThreadPool, type ThreadPool } from '../../src/kernels/threadPool.js';
import { KapriError } from '../../src/core/errors.js';
import { thrown } from '../support/thrown.js';
import { defineQs8RelaxedSuite, randomInt7Spec } from './suites/qs8RelaxedSuite.js';
import { randomConvSpec } from './suites/qs8Suite.js';

const pools: ThreadPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.dispose()));
});

defineQs8RelaxedSuite('simd', 'relaxed');
defineQs8RelaxedSuite('threads', 'relaxed', async (k) => {
  const two = await createThreadPool(k, 2, { minParallelWork: 0 });
  const three = await createThreadPool(k, 3, { minParallelWork: 0 });
  pools.push(two, three);
  return [
    ['2 threads', two],
    ['3 threads', three],
  ];
});

/** What a call threw, as a KapriError (fails the test when it threw something else or nothing). */
const kapriThrown = (f: () => unknown): KapriError => {
  const e = thrown(f);
  expect(e).toBeInstanceOf(KapriError);
  return e as KapriError;
};

const g = { inShape: [1, 6, 6, 8], kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' } as const;

describe('choosing the relaxed conv path', () => {
  it('never takes it by itself where the probe of the accumulate-dot fails', async () => {
    const k = await loadKernels({ build: 'relaxed' });
    const plan = planQs8Conv2d(k, randomInt7Spec(g, 8, 1));
    try {
      expect(plan.path).toBe(relaxedChoice(k).pays ? 'relaxed' : 'baseline');
      if (process.versions.node.startsWith('20.')) expect(plan.path).toBe('baseline');
    } finally {
      disposeQs8Conv2d(k, plan);
    }
  });

  it('refuses to force it on a relaxed build whose probe failed', async () => {
    const k = await loadKernels({ build: 'relaxed' });
    if (relaxedDotTrusted(k)) return;
    const e = kapriThrown(() => planQs8Conv2d(k, randomInt7Spec(g, 8, 1), { path: 'relaxed' }));
    expect(e.tag).toBe('Unsupported');
    expect(e.message).toMatch(/relaxed_dot_i8x16_i7x16_add_s wrongly/);
  });

  it('refuses weights outside [-64, 63], int4 weights and an unknown path', async () => {
    const k = await loadKernels({ build: 'simd' });
    const wide = randomConvSpec(g, 8, 2);
    expect(kapriThrown(() => planQs8Conv2d(k, wide, { path: 'relaxed' })).message).toMatch(/7-bit form \[-64, 63\]/);
    const four = randomConvSpec(g, 8, 2, true);
    expect(kapriThrown(() => planQs8Conv2d(k, four, { path: 'relaxed' })).message).toMatch(/not int4/);
    expect(kapriThrown(() => planQs8Conv2d(k, wide, { path: 'fast' as 'auto' })).tag).toBe('InvalidArgument');
  });

  it('keeps 8-bit weights on the baseline kernel', async () => {
    const k = await loadKernels({ build: 'simd' });
    const plan = planQs8Conv2d(k, randomConvSpec(g, 8, 3));
    expect(plan.path).toBe('baseline');
    disposeQs8Conv2d(k, plan);
  });
});
