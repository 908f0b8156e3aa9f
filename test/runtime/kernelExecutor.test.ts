/** The kernel executor gives the reference executor's bits, plans its memory once, and reuses buffers. */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };
import { loadKernels } from '../../src/kernels/loader.js';
import { createThreadPool } from '../../src/kernels/threadPool.js';
import { createExecutor } from '../../src/runtime/executor.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { isKapriError } from '../../src/core/errors.js';
import { smallModelBytes } from './qmodelFixture.js';
import { bits } from '../support/values.js';

const decode = (bytes: Uint8Array) => {
  const r = decodeQModel(bytes);
  if (E.isLeft(r)) throw r.left;
  return r.right;
};
const goldenModel = () => decode(Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)));
const input = (n: number, seed = 1) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 1.5);

describe('kernel executor', () => {
  it.each(['simd', 'relaxed', 'threads'] as const)(
    'gives the reference executor bits on the example student (%s build)',
    async (build) => {
      const model = goldenModel();
      const k = await loadKernels({ build });
      const exe = createKernelExecutor(model, k);
      const ref = createExecutor(model);
      const x = input(3 * exe.inputShape.reduce((a, b) => a * b, 1));
      const got = exe.run(x, 3);
      const want = ref.run(x, 3);
      for (const name of model.header.outputs) expect(bits(got[name]!)).toEqual(bits(want[name]!));
      exe.dispose();
    },
  );

  it('gives the reference bits on the small fixture model, and on 2 threads', async () => {
    const model = decode(smallModelBytes(3));
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2, { minParallelWork: 0 });
    const exe = createKernelExecutor(model, k, { runner: pool });
    const x = input(2 * 8 * 8 * 3, 5);
    expect(bits(exe.run(x, 2)['y']!)).toEqual(bits(createExecutor(model).run(x, 2)['y']!));
    exe.dispose();
    await pool.dispose();
  });

  it.each([2, 3])(
    'gives the reference bits on the hands student on %i threads with the default per-call policy, back to back and after idle gaps with the workers asleep',
    async (threads) => {
      const model = goldenModel();
      const k = await loadKernels({ build: 'threads' });
      const pool = await createThreadPool(k, threads, { spinMicros: 0 });
      const exe = createKernelExecutor(model, k, { runner: pool });
      const ref = createExecutor(model);
      const n = exe.inputShape.reduce((a, b) => a * b, 1);
      for (let rep = 0; rep < 12; rep++) {
        if (rep % 3 === 0) await new Promise((r) => setTimeout(r, 15));
        const x = input(n, rep);
        for (const name of model.header.outputs) expect(bits(exe.run(x)[name]!)).toEqual(bits(ref.run(x)[name]!));
      }
      // after the inferences the workers go back to sleep (spin budget 0 once no burst holds them)
      for (let i = 0; i < 200 && pool.sleepingWorkers < threads - 1; i++) await new Promise((r) => setTimeout(r, 5));
      expect(pool.sleepingWorkers).toBe(threads - 1);
      exe.dispose();
      await pool.dispose();
    },
  );

  it('allocates nothing per inference, and returns every region on dispose', async () => {
    const k = await loadKernels({ build: 'simd' });
    const before = k.arena.liveCount;
    const exe = createKernelExecutor(goldenModel(), k);
    const live = k.arena.liveCount;
    const x = input(exe.inputShape.reduce((a, b) => a * b, 1));
    exe.run(x);
    exe.run(x);
    expect(k.arena.liveCount).toBe(live);
    exe.dispose();
    expect(k.arena.liveCount).toBe(before);
    expect(() => exe.run(x)).toThrow(/disposed/);
  });

  it('reuses activation buffers: fewer buffers than tensors', async () => {
    const model = goldenModel();
    const k = await loadKernels({ build: 'simd' });
    const exe = createKernelExecutor(model, k);
    expect(exe.weightBytes).toBeGreaterThan(0);
    expect(exe.activationBuffers).toBeLessThan(model.header.tensors.length);
    exe.dispose();
  });

  it('refuses an input of the wrong length with the expected shape', async () => {
    const k = await loadKernels({ build: 'simd' });
    const exe = createKernelExecutor(decode(smallModelBytes()), k);
    let e: unknown = null;
    try {
      exe.run(new Float32Array(5));
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/\[8, 8, 3\]/);
    exe.dispose();
  });

  it('cannot write past its input region even when handed a model decode would refuse', async () => {
    // The model of issue 14: the graph input declared int8 gets an N-byte region, the executor
    // copies N floats. Built in memory, past decode, to show the arena check holds on its own.
    const k = await loadKernels({ build: 'simd' });
    const neighbour = createKernelExecutor(decode(smallModelBytes(2)), k);
    const x = input(8 * 8 * 3, 9);
    const before = neighbour.run(x).y!.slice();
    const good = decode(smallModelBytes(3));
    const t0 = good.header.tensors[0]!;
    const hostile = {
      ...good,
      header: {
        ...good.header,
        tensors: [
          { ...t0, dtype: 'i8' as const, quant: { scale: 0.02, zeroPoint: 0 } },
          ...good.header.tensors.slice(1),
        ],
      },
    };
    const exe = createKernelExecutor(hostile, k);
    const e = (() => {
      try {
        exe.run(input(8 * 8 * 3, 4));
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect(Array.from(neighbour.run(x).y!)).toEqual(Array.from(before));
    exe.dispose();
    neighbour.dispose();
  });
});
