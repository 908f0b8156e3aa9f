import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { planQs8Conv2d, runQs8Conv2dAt, disposeQs8Conv2d } from '../../src/kernels/qs8Conv.js';
import { serialRunner } from '../../src/kernels/parallel.js';
import { MODE_BLOCK } from '../../src/kernels/modeChoice.js';
import { createThreadPool } from '../../src/kernels/threadPool.js';
import { randomConvSpec } from './suites/qs8Suite.js';
import { thrown } from '../support/thrown.js';

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
    const spec = randomConvSpec(
      { inShape: [2, 11, 9, 24], kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' },
      40,
      5,
    );
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

  it("writes nothing into the module's memory when it starts (its warm-up jobs run over empty ranges)", async () => {
    const k = await loadKernels({ build: 'threads' });
    const x = k.arena.alloc(4096);
    k.arena.i8(x).set(Int8Array.from({ length: 4096 }, (_, i) => ((i * 41) % 256) - 128));
    const before = new Uint8Array(k.memory.buffer).slice();
    const pool = await createThreadPool(k, 3);
    expect(pool.splitCalls).toBe(0);
    expect(Buffer.compare(new Uint8Array(k.memory.buffer), before)).toBe(0);
    await pool.dispose();
  });

  it('refuses to run after dispose', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2);
    await pool.dispose();
    expect(() => pool.run('qs8_add', [], 1, 1)).toThrow(/disposed/);
  });

  it('reports a kernel that fails in part of its range as an error naming the thread that ran it, not a hang', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2, { minParallelWork: 0 });
    // 1024 int8 elements starting 600 bytes before the end of memory: the caller's block [0, 512)
    // lies inside, the worker's block [512, 1024) runs past the end and traps in whichever thread
    // runs it (the worker, or the caller when it takes up chunks the worker has not claimed yet).
    const p = k.memory.buffer.byteLength - 600;
    const e = thrown(() => pool.run('qs8_add', [p, p, p, 0, 1, 0, 1, 0, -128, 127], 1024, 1024));
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect((e as Error).message).toMatch(/trapped in (pool worker 1|the calling thread)/);
    // the pool stays usable
    const { args } = addCall(k, 4096);
    pool.run('qs8_add', args, 4096, 4096);
    await pool.dispose();
  });
});

/** Starts a pool while recording its Node worker handles (the pool calls unref() on each). */
const poolWithWorkers = async (threads: number) => {
  const { Worker } = await import('node:worker_threads');
  const seen: InstanceType<typeof Worker>[] = [];
  const unref = Worker.prototype.unref;
  Worker.prototype.unref = function (this: InstanceType<typeof Worker>) {
    seen.push(this);
    return unref.call(this);
  };
  try {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, threads, { minParallelWork: 0 });
    return { k, pool, workers: seen.slice() };
  } finally {
    Worker.prototype.unref = unref;
  }
};

const exited = (w: { threadId: number; once(ev: 'exit', f: () => void): unknown }) =>
  w.threadId === -1 ? Promise.resolve() : new Promise<void>((r) => w.once('exit', () => r()));

// A valid call of qs8_add over `n` elements placed in the arena.
const addCall = (k: Awaited<ReturnType<typeof loadKernels>>, n: number) => {
  const a = k.arena.alloc(n);
  const b = k.arena.alloc(n);
  const y = k.arena.alloc(n);
  return { args: [a.ptr, b.ptr, y.ptr, 0, 1, 0, 1, 0, -128, 127], regions: [a, b, y] };
};

describe('thread pool: failing fast', () => {
  it('fails a call with a typed error within a second when a worker has died, and stops the others', async () => {
    const { k, pool, workers } = await poolWithWorkers(3);
    expect(workers).toHaveLength(2);
    await workers[0]!.terminate();
    const { args } = addCall(k, 4096);
    const t0 = performance.now();
    const e = thrown(() => pool.run('qs8_add', args, 4096, 4096));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(isKapriError(e, 'Unsupported')).toBe(true);
    expect((e as Error).message).toMatch(/pool worker 1 exited.*closed/);
    // the survivor is stopped with the pool, and later calls fail at once
    await exited(workers[1]!);
    expect(
      isKapriError(
        thrown(() => pool.run('qs8_add', args, 4096, 4096)),
        'Unsupported',
      ),
    ).toBe(true);
    await pool.dispose();
  });

  it('notices a worker that dies while the caller waits, without blocking its event loop for long', async () => {
    const { k, pool, workers } = await poolWithWorkers(2);
    const { args } = addCall(k, 4096);
    pool.run('qs8_add', args, 4096, 4096);
    // terminate() returns at once; the worker is gone before the 'exit' event can be delivered
    void workers[0]!.terminate();
    await new Promise((r) => setTimeout(r, 0)); // let the termination reach the worker, not the exit event
    // the call in flight either completes (the caller takes up the dead worker's chunks) or fails
    // with a typed error, within a second; once the death is noticed every later call fails
    const t0 = performance.now();
    let e: unknown = null;
    try {
      pool.run('qs8_add', args, 4096, 4096);
    } catch (err) {
      e = err;
    }
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e === null || isKapriError(e, 'Unsupported')).toBe(true);
    await exited(workers[0]!);
    await new Promise((r) => setTimeout(r, 0));
    expect(
      isKapriError(
        thrown(() => pool.run('qs8_add', args, 4096, 4096)),
        'Unsupported',
      ),
    ).toBe(true);
    await pool.dispose();
  });

  it('stops every worker on dispose, the survivor of a dead one included', async () => {
    const { k, pool, workers } = await poolWithWorkers(3);
    await workers[1]!.terminate();
    const { args } = addCall(k, 4096);
    thrown(() => pool.run('qs8_add', args, 4096, 4096));
    await pool.dispose();
    await Promise.race([
      exited(workers[0]!),
      new Promise((_, no) => setTimeout(() => no(new Error('a worker survived dispose')), 2000)),
    ]);
    expect(workers.every((w) => w.threadId === -1)).toBe(true);
  });

  it("gives typed errors for an unknown kernel and a trap in the caller's own share, and stays usable", async () => {
    const { k, pool } = await poolWithWorkers(2);
    expect(
      isKapriError(
        thrown(() => pool.run('no_such_kernel', [], 4096, 4096)),
        'InvalidArgument',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        thrown(() => pool.run('no_such_kernel', [], 1, 1)),
        'InvalidArgument',
      ),
    ).toBe(true);
    // a = 2^32 - 2048: the caller's share [0, 2048) reads beyond memory, the worker's [2048, 4096)
    // wraps around to the start of memory and runs
    const { args } = addCall(k, 4096);
    const bad = [2 ** 32 - 2048, ...args.slice(1)];
    expect(
      isKapriError(
        thrown(() => pool.run('qs8_add', bad, 4096, 4096)),
        'InvalidArgument',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        thrown(() => pool.run('qs8_add', bad, 2, 1)),
        'InvalidArgument',
      ),
    ).toBe(true);
    pool.run('qs8_add', args, 4096, 4096);
    await pool.dispose();
  });
});

describe('serial runner', () => {
  it('gives a typed error for an unknown kernel name', async () => {
    const { loadKernels } = await import('../../src/kernels/loader.js');
    const { serialRunner } = await import('../../src/kernels/parallel.js');
    const { isKapriError } = await import('../../src/core/errors.js');
    const k = await loadKernels({ build: 'simd' });
    let e: unknown = null;
    try {
      serialRunner(k).run('no_such_kernel', [], 1, 1);
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect((e as Error).message).toMatch(/no kernel named 'no_such_kernel'/);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ok` every 5 ms for up to `ms`; true as soon as it holds. */
const eventually = async (ok: () => boolean, ms: number): Promise<boolean> => {
  for (const t0 = performance.now(); performance.now() - t0 < ms; await sleep(5)) if (ok()) return true;
  return ok();
};

describe('thread pool: call patterns', () => {
  it('gives the serial result after an idle gap with the workers asleep (the caller takes up their chunks)', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 3, { minParallelWork: 0, spinMicros: 0 });
    const n = 5000;
    const { args, regions } = addCall(k, n);
    k.arena.i8(regions[0]!, n).set(Int8Array.from({ length: n }, (_, i) => ((i * 29) % 256) - 128));
    k.arena.i8(regions[1]!, n).set(Int8Array.from({ length: n }, (_, i) => ((i * 53) % 256) - 128));
    serialRunner(k).run('qs8_add', args, n, n);
    const want = Array.from(k.arena.i8(regions[2]!, n));
    for (let rep = 0; rep < 4; rep++) {
      await sleep(20);
      k.arena.i8(regions[2]!, n).fill(0);
      pool.run('qs8_add', args, n, n);
      expect(Array.from(k.arena.i8(regions[2]!, n))).toEqual(want);
    }
    await pool.dispose();
  });

  it("records the calling thread's share and time of its last split call, and keeps it over a serial one", async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2, { minParallelWork: 0 });
    const n = 5000;
    const { args } = addCall(k, n);
    expect(pool.lastSplit).toBeNull();
    pool.run('qs8_add', args, n, n);
    const split = pool.lastSplit!;
    expect(pool.splitCalls).toBe(1);
    expect(split.callerShare).toBeGreaterThanOrEqual(0);
    expect(split.callerShare).toBeLessThanOrEqual(1);
    expect(split.callerMs).toBeGreaterThanOrEqual(0);
    expect(split.ms).toBeGreaterThanOrEqual(split.callerMs);
    pool.run('qs8_add', args, 1, 1); // one item cannot split
    expect(pool.splitCalls).toBe(1);
    expect(pool.lastSplit).toBe(split);
    await pool.dispose();
  });

  it('keeps small calls on the calling thread by default (a per-call decision from measured cost)', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2);
    expect(pool.handoffMs).toBeGreaterThan(0);
    const { args } = addCall(k, 64);
    for (let i = 0; i < 20; i++) pool.run('qs8_add', args, 64, 64);
    expect(pool.splitCalls).toBe(0);
    await pool.dispose();
  });

  it('runs a kind of burst serially once its split bursts measured slower, after two blocks of each mode', async () => {
    const k = await loadKernels({ build: 'threads' });
    // every call splits in a split burst: 64-element adds, where the hand-off costs many times the work
    const pool = await createThreadPool(k, 2, { minParallelWork: 0 });
    const { args } = addCall(k, 64);
    const kind = {};
    const burst = (): number => {
      const before = pool.splitCalls;
      const end = pool.keepWarm(kind);
      for (let i = 0; i < 40; i++) pool.run('qs8_add', args, 64, 64);
      end();
      return pool.splitCalls - before;
    };
    // the first burst follows an idle spell (its own record); the next sixteen run blocks of four
    // bursts: split, serial, split, serial (modeChoice.ts)
    const learning = Array.from({ length: 1 + 4 * MODE_BLOCK }, burst);
    expect(learning.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2 * MODE_BLOCK);
    // then serial, but for bursts that a pause of the host (over 5 ms) might file as idle: the idle
    // record's first block splits
    const chosen = Array.from({ length: 10 }, burst);
    expect(chosen.filter((n) => n > 0).length).toBeLessThanOrEqual(2);
    await pool.dispose();
  });

  it("splits a burst's long call sites by their own serial times, with the serial result, and leaves its short ones on the calling thread", async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2);
    const big = 200_000; // ~0.1-0.3 ms: far above a hand-off, below the always-split length
    const long = addCall(k, big);
    const short = addCall(k, 64);
    k.arena.i8(long.regions[0]!, big).set(Int8Array.from({ length: big }, (_, i) => ((i * 29) % 256) - 128));
    k.arena.i8(long.regions[1]!, big).set(Int8Array.from({ length: big }, (_, i) => ((i * 53) % 256) - 128));
    serialRunner(k).run('qs8_add', long.args, big, big);
    const want = Array.from(k.arena.i8(long.regions[2]!, big));
    const burst = (kind: object, calls: (() => void)[]): number => {
      const before = pool.splitCalls;
      const end = pool.keepWarm(kind);
      for (const call of calls) call();
      end();
      return pool.splitCalls - before;
    };
    const runShort = () => pool.run('qs8_add', short.args, 64, 64);
    const runLong = () => pool.run('qs8_add', long.args, big, big);
    // a kind's first bursts split (modeChoice.ts); each site's first three calls are timed serially
    const shortOnly = Array.from({ length: 8 }, () => burst(short, [runShort, runShort]));
    expect(shortOnly.every((n) => n === 0)).toBe(true);
    const withLong = Array.from({ length: 8 }, () => {
      const n = burst(long, [runShort, runLong]);
      expect(k.arena.i8(long.regions[2]!, big).every((v, i) => v === want[i])).toBe(true);
      return n;
    });
    expect(withLong.reduce((a, n) => a + n, 0)).toBeGreaterThanOrEqual(1);
    expect(withLong.every((n) => n <= 1)).toBe(true);
    await pool.dispose();
  });

  it('runs a short call that finds its worker asleep on the calling thread', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2);
    // tens of microseconds: above the split threshold, well under the calls that split regardless
    const n = 1 << 16;
    const { args } = addCall(k, n);
    let splitAsleep = 0;
    for (let i = 0; i < 200; i++) {
      const asleep = pool.sleepingWorkers > 0;
      const before = pool.splitCalls;
      pool.run('qs8_add', args, n, n);
      if (asleep && pool.splitCalls > before) splitAsleep++;
      const t = performance.now();
      while (performance.now() - t < 0.2);
    }
    // a worker sleeps until notified: one seen asleep before a call was asleep when the call began
    expect(splitAsleep).toBe(0);
    await pool.dispose();
  });

  it('spins its workers through the short gaps its caller leaves between calls, and no longer when calls stop', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 2, { minParallelWork: 0 });
    const fixed = await createThreadPool(await loadKernels({ build: 'threads' }), 2, { spinMicros: 700 });
    const { args } = addCall(k, 4096);
    expect(pool.spinMicros).toBe(500);
    const busyWait = (ms: number) => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    for (let i = 0; i < 8; i++) {
      pool.run('qs8_add', args, 4096, 4096);
      busyWait(1);
    }
    // 1.5 × a gap of at least 1 ms (more on a loaded machine), within the cap
    expect(pool.spinMicros).toBeGreaterThanOrEqual(1500);
    expect(pool.spinMicros).toBeLessThanOrEqual(3000);
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 10));
      pool.run('qs8_add', args, 4096, 4096);
    }
    expect(pool.spinMicros).toBe(500);
    expect(fixed.spinMicros).toBe(700);
    await pool.dispose();
    await fixed.dispose();
  });

  it('lets its workers sleep when the app goes idle, even while a burst is held open past its cap', async () => {
    const k = await loadKernels({ build: 'threads' });
    const pool = await createThreadPool(k, 3, { minParallelWork: 0, spinMicros: 2_000, warmCapMicros: 20_000 });
    const { args } = addCall(k, 4096);
    pool.run('qs8_add', args, 4096, 4096);
    expect(await eventually(() => pool.sleepingWorkers === 2, 2_000)).toBe(true);
    // a burst wakes them; held open, they still sleep once the cap has passed
    const cool = pool.keepWarm();
    expect(await eventually(() => pool.sleepingWorkers < 2, 1_000)).toBe(true);
    pool.run('qs8_add', args, 4096, 4096);
    expect(await eventually(() => pool.sleepingWorkers === 2, 2_000)).toBe(true);
    cool();
    cool(); // releasing twice is harmless
    await pool.dispose();
  });

  it('stops every worker on dispose while they spin in a burst', async () => {
    const { k, pool, workers } = await poolWithWorkers(3);
    const { args } = addCall(k, 4096);
    pool.keepWarm();
    pool.run('qs8_add', args, 4096, 4096);
    await pool.dispose();
    await Promise.race([
      Promise.all(workers.map(exited)),
      new Promise((_, no) => setTimeout(() => no(new Error('a worker survived dispose')), 2000)),
    ]);
    expect(workers.every((w) => w.threadId === -1)).toBe(true);
    // a burst on a disposed pool is a no-op
    pool.keepWarm()();
  });

  it('lets go of a kind of burst once its object is unreachable (an executor disposed)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { k, pool } = await poolWithWorkers(2);
    const { args } = addCall(k, 4096);
    let kind: object | null = {};
    const ref = new WeakRef(kind);
    pool.keepWarm(kind)();
    kind = null;
    // another kind's burst, so that the pool's memory of its last kind moves on
    pool.keepWarm({})();
    pool.run('qs8_add', args, 4096, 4096);
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(ref.deref()).toBeUndefined();
    await pool.dispose();
  });
});
