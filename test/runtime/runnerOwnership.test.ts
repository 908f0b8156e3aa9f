/**
 * A runner belongs to one kernel module (issue 14, item 8): `loadModel(file, { runner: pool })`
 * plans on the pool's module, and a runner of another module is refused instead of writing into
 * memory it does not own.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { KapriError } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { serialRunner } from '../../src/kernels/parallel.js';
import { createThreadPool } from '../../src/kernels/threadPool.js';
import { createExecutor } from '../../src/runtime/executor.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { loadModel } from '../../src/runtime/loadModel.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { smallModelBytes } from './qmodelFixture.js';

const x = Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => Math.sin(i * 0.37 + 5) * 1.5);
const reference = (bytes: Uint8Array): Float32Array => {
  const r = decodeQModel(bytes);
  if (E.isLeft(r)) throw r.left;
  return createExecutor(r.right).run(x)['y']!;
};

describe('runner ownership', () => {
  it("loadModel with a pool and no kernels plans on the pool's module and gives the reference output", async () => {
    const bytes = smallModelBytes(3);
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2);
    try {
      const exe = await loadModel(bytes, { runner: pool });
      expect(Array.from(exe.run(x)['y']!)).toEqual(Array.from(reference(bytes)));
      exe.dispose();
    } finally {
      await pool.dispose();
    }
  });

  it('loadModel with a runner of another module than `kernels` is refused', async () => {
    const mine = await loadKernels({ build: 'simd' });
    const other = await loadKernels({ build: 'simd' });
    const e = await loadModel(smallModelBytes(), { kernels: mine, runner: serialRunner(other) }).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(KapriError);
    expect((e as KapriError).tag).toBe('InvalidArgument');
    expect((e as KapriError).message).toMatch(
      /this runner belongs to a 'simd' module loaded separately, not to the 'simd' module the plan runs on/,
    );
  });

  it('createKernelExecutor refuses a runner of another module and leaves nothing in the arena', async () => {
    const k = await loadKernels({ build: 'simd' });
    const other = await loadKernels({ build: 'simd' });
    const r = decodeQModel(smallModelBytes());
    if (E.isLeft(r)) throw r.left;
    const live = k.arena.liveCount;
    expect(() => createKernelExecutor(r.right, k, { runner: serialRunner(other) })).toThrow(
      /belongs to a 'simd' module loaded separately/,
    );
    expect(() => createKernelExecutor(r.right, k, { runner: {} as never })).toThrow(/runner must be a Runner/);
    expect(k.arena.liveCount).toBe(live);
  });
});
