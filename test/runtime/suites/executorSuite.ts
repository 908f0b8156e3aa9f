/**
 * The executor comparison: a whole QModel run on the kernels gives the JS reference executor's output
 * bits, in every build, on one thread and split across 2- and 3-thread pools (no size threshold), on
 * a batch of 3 so that even the global pool and the dense layer split. Registered by the Node tests
 * and by the browser tests in Chromium.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { loadKernels } from '../../../src/kernels/loader.js';
import type { Runner } from '../../../src/kernels/parallel.js';
import { createThreadPool, type ThreadPool } from '../../../src/kernels/threadPool.js';
import { createExecutor } from '../../../src/runtime/executor.js';
import { createKernelExecutor } from '../../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../../src/runtime/qmodelFile.js';
import type { QModel } from '../../../src/runtime/qmodelTypes.js';
import { bits } from '../../support/values.js';

/** A model to compare: its name and file bytes (made lazily, so that registering costs nothing). */
export type NamedModel = readonly [string, () => Uint8Array | Promise<Uint8Array>];

const BATCH = 3;

const decode = (bytes: Uint8Array): QModel => {
  const r = decodeQModel(bytes);
  if (E.isLeft(r)) throw r.left;
  return r.right;
};

/** Inputs over ±2 with every sample different. */
const input = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61 + 0.3) * 2);

/** Registers the comparison of each model for the simd, relaxed and threads builds, serial and pooled. */
export const defineExecutorSuite = (models: readonly NamedModel[]): void => {
  const pools: ThreadPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
  });
  const runners = [
    ['simd', 1],
    ['relaxed', 1],
    ['threads', 1],
    ['threads', 2],
    ['threads', 3],
  ] as const;
  describe('the kernel executor gives the reference executor bits on whole models', () => {
    it.each(
      models.flatMap(([name, bytes]) => runners.map(([build, threads]) => [name, build, threads, bytes] as const)),
    )('%s (%s build, %i thread(s))', async (_, build, threads, bytes) => {
      const model = decode(await bytes());
      const k = await loadKernels({ build });
      let runner: Runner | undefined;
      if (threads > 1) {
        const pool = await createThreadPool(k, threads, { minParallelWork: 0 });
        pools.push(pool);
        runner = pool;
      }
      const exe = createKernelExecutor(model, k, runner ? { runner } : {});
      const x = input(BATCH * exe.inputShape.reduce((a, b) => a * b, 1));
      const got = exe.run(x, BATCH);
      const want = createExecutor(model).run(x, BATCH);
      for (const out of model.header.outputs) {
        expect(bits(got[out]!), out).toEqual(bits(want[out]!));
        // not a constant: the comparison would be empty if every code saturated
        expect(new Set(want[out]!).size, out).toBeGreaterThan(Math.min(6, want[out]!.length / 4));
      }
      exe.dispose();
    });
  });
};
