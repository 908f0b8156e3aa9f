import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { planQs8Conv2d, runQs8Conv2dAt, disposeQs8Conv2d } from '../../src/kernels/qs8Conv.js';
import { serialRunner } from '../../src/kernels/parallel.js';
import { createThreadPool } from '../../src/kernels/threadPool.js';
import { randomConvSpec } from './suites/qs8Suite.js';

describe('thread pool', () => {
  it('needs the threads build', async () => {
    const k = await loadKernels({ build: 'simd' });
    const e = await createThreadPool(k, 2).catch((x: unknown) => x);
    expect(isKapriError(e) && e.tag).toBe('Unsupported');
  });

  it.each([0, 1.5, 65])('refuses %s threads', async (n) => {
    const k = await loadKernels({ build: 'threads' });
    const e = await createThreadPool(k, n).catch((x: unknown) => x);
    expect(isKapriError(e) && e.tag).toBe('InvalidArgument');
  });

  it('splits a conv over its workers and gives the serial result, with no arena allocation per call', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2, { minParallelWork: 0 });
    const spec = randomConvSpec({ inShape: [2, 11, 9, 24], kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' }, 40, 5);
    const plan = planQs8Conv2d(k, spec);
    const x = k.arena.alloc(plan.inBytes);
    const y1 = k.arena.alloc(plan.outBytes);
    const y2 = k.arena.alloc(plan.outBytes);
    k.arena.i8(x).set(Int8Array.from({ length: plan.inBytes }, (_, i) => ((i * 37) % 256) - 128));
    runQs8Conv2dAt(k, plan, x, y1, serialRunner(k));
    const live = k.arena.liveCount;
    const bytes = k.memory.buffer.byteLength;
    runQs8Conv2dAt(k, plan, x, y2, pool);
    runQs8Conv2dAt(k, plan, x, y2, pool);
    expect(k.arena.liveCount).toBe(live);
    expect(k.memory.buffer.byteLength).toBe(bytes);
    expect(Array.from(k.arena.i8(y2))).toEqual(Array.from(k.arena.i8(y1)));
    disposeQs8Conv2d(k, plan);
    await pool.dispose();
  });

  it('refuses to run after dispose', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2);
    await pool.dispose();
    expect(() => pool.run('qs8_add', [], 1, 1)).toThrow(/disposed/);
  });

  it('reports a kernel that fails in a worker as an error, not a hang', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2, { minParallelWork: 0 });
    // reading far beyond memory traps inside the wasm of each thread
    const huge = 0x7fff0000;
    expect(() => pool.run('qs8_add', [huge, huge, huge, 0, 1, 0, 1, 0, -128, 127], 1024, 1024)).toThrow();
    await pool.dispose();
  });
});
