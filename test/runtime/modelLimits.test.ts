/**
 * Resource limits (issue 14, item 3): caps on file bytes, arena bytes and work per inference, only
 * regular files read and never unbounded, and inferences bounded by an AbortSignal or a time budget
 * checked between ops, on both engines.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KapriError } from '../../src/core/errors.js';
import { inspectCommand } from '../../src/cli/inspectCommand.js';
import { loadModel } from '../../src/runtime/loadModel.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { oneOpModelBytes, smallModelBytes } from './qmodelFixture.js';
import { thrown } from '../support/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'kapri-limits-'));
const rejection = async (p: Promise<unknown>): Promise<KapriError> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(KapriError);
  return e as KapriError;
};
const leftOf = (r: E.Either<KapriError, unknown>): KapriError => {
  if (E.isRight(r)) throw new Error('expected decode to refuse the model');
  return r.left;
};
/** Settles `p` or fails after `ms`: a read that hangs must not hang the test. */
const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)),
  ]);

// A conv of 64×64×8 → 64×64×8: ~2.4 M MACs a sample, slow enough on the reference to pass a deadline.
const heavyModel = (): Uint8Array =>
  oneOpModelBytes(
    [64, 64, 8],
    [64, 64, 8],
    {
      op: 'conv2d',
      kernel: [3, 3],
      stride: [1, 1],
      padding: 'same',
      bits: 8,
      activation: 'none',
      weights: 0,
      scales: 1,
      bias: 2,
    },
    [Int8Array.from({ length: 9 * 8 * 8 }, (_, i) => (i % 7) - 3), new Float32Array(8).fill(0.01), new Int32Array(8)],
  );

describe('model limits', () => {
  it('refuses a 4096×4096 pooling window over a large input by the work cap, and takes it when the cap is raised', () => {
    const b = oneOpModelBytes([2048, 2048, 1], [2048, 2048, 1], {
      op: 'maxPool',
      size: [4096, 4096],
      stride: [1, 1],
      padding: 'same',
    });
    expect(b.length).toBeLessThan(1024);
    const e = leftOf(decodeQModel(b, 'pool.kapri'));
    expect(e.tag).toBe('OutOfBudget');
    expect(e.message).toMatch(
      /pool\.kapri: the work of one inference .* is \d+, above the cap of 10000000000; raise it with the option limits\.maxMacs/,
    );
    expect(E.isRight(decodeQModel(b, 'pool.kapri', { maxMacs: Infinity }))).toBe(true);
  });

  it('refuses a small file that would reserve more than the arena cap', () => {
    const b = oneOpModelBytes([16384, 8192, 1], [16384, 8192, 1], {
      op: 'maxPool',
      size: [1, 1],
      stride: [1, 1],
      padding: 'valid',
    });
    const e = leftOf(decodeQModel(b));
    expect(e.tag).toBe('OutOfBudget');
    expect(e.message).toMatch(
      /kernel-arena bytes .* above the cap of 1073741824; raise it with the option limits\.maxArenaBytes/,
    );
    expect(E.isRight(decodeQModel(b, 'big', { maxArenaBytes: 2 ** 32 }))).toBe(true);
  });

  it('refuses a file above the byte cap before reading it, from bytes and from a path', async () => {
    const b = smallModelBytes();
    expect((await rejection(loadModel(b, { limits: { maxFileBytes: 100 } }))).message).toMatch(
      /above the cap of 100; raise it with the option limits\.maxFileBytes/,
    );
    const file = join(dir, 'small.kapri');
    writeFileSync(file, b);
    expect((await rejection(loadModel(file, { limits: { maxFileBytes: 100 } }))).tag).toBe('OutOfBudget');
    (await loadModel(file, { limits: { maxFileBytes: b.length } })).dispose();
  });

  it('refuses bad limits', async () => {
    expect((await rejection(loadModel(smallModelBytes(), { limits: { maxMacs: -1 } }))).message).toMatch(
      /limits\.maxMacs must be a number > 0/,
    );
  });

  it('refuses /dev/zero at once instead of reading it without end (loadModel and kapri inspect)', async () => {
    const e = await within(rejection(loadModel('/dev/zero')), 5000);
    expect(e.tag).toBe('Io');
    expect(e.message).toMatch(/\/dev\/zero is a character device; a model is read only from a regular file/);
    expect((await within(rejection(inspectCommand(['/dev/zero'])), 5000)).message).toMatch(/character device/);
  });

  it('refuses a FIFO at once instead of hanging on it', async () => {
    const fifo = join(dir, 'model.fifo');
    execFileSync('mkfifo', [fifo]);
    const e = await within(rejection(loadModel(fifo)), 5000);
    expect(e.message).toMatch(/model\.fifo is a FIFO/);
  });

  it('refuses a directory', async () => {
    expect((await rejection(loadModel(dir))).message).toMatch(/is a directory/);
  });
});

describe('bounded inference', () => {
  it.each(['kernels', 'reference'] as const)('stops at an op boundary when the signal aborts (%s)', async (engine) => {
    const exe = await loadModel(smallModelBytes(), { engine });
    let reads = 0;
    const signal = {
      get aborted() {
        return ++reads > 2;
      },
      reason: 'enough',
    } as unknown as AbortSignal;
    const e = thrown(() => exe.run(new Float32Array(8 * 8 * 3), 1, { signal })) as KapriError;
    expect(e).toBeInstanceOf(KapriError);
    expect(e!.tag).toBe('OutOfBudget');
    expect(e!.message).toMatch(/aborted by its AbortSignal after 2 of 6 ops \(enough\)/);
    // the executor stays usable
    expect(exe.run(new Float32Array(8 * 8 * 3))['y']!.length).toBe(2);
    exe.dispose();
  });

  it.each(['kernels', 'reference'] as const)('stops a long inference at its time budget (%s)', async (engine) => {
    const exe = await loadModel(heavyModel(), { engine });
    const x = new Float32Array(5 * 64 * 64 * 8).fill(0.3);
    expect(() => exe.run(x, 5, { timeoutMs: 0.01 })).toThrow(/passed its 0\.01 ms time budget after \d+ of 15 ops/);
    expect(exe.run(x, 5)['y']!.length).toBe(5 * 64 * 64 * 8);
    exe.dispose();
  });

  it('applies a signal given at load to every run', async () => {
    const ac = new AbortController();
    const exe = await loadModel(smallModelBytes(), { signal: ac.signal });
    exe.run(new Float32Array(8 * 8 * 3));
    ac.abort('shutting down');
    expect(() => exe.run(new Float32Array(8 * 8 * 3))).toThrow(
      /aborted by its AbortSignal after 0 of 6 ops \(shutting down\)/,
    );
    exe.dispose();
  });

  it('refuses a bad time budget', async () => {
    expect((await rejection(loadModel(smallModelBytes(), { timeoutMs: -5 }))).message).toMatch(
      /timeoutMs must be a number of milliseconds > 0/,
    );
  });
});
