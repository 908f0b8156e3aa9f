/**
 * A worker pool over the threads build's shared memory: every worker instantiates the same
 * compiled module over the same `WebAssembly.Memory`, so a kernel call is split by handing each
 * worker a range of output rows, pixels or channels. Idle workers poll the job word briefly, then
 * sleep on `Atomics.wait` (a wake costs ~0.05 ms; postMessage would cost 0.5–2.6 ms). The calling thread runs the first range itself.
 * Calls too small to pay for the wake-up run on the calling thread alone.
 *
 * @example
 * const k = await loadKernels({ build: 'threads' });
 * const pool = await createThreadPool(k, 2);
 * runQs8Conv2dAt(k, plan, x, y, pool);
 * await pool.dispose();
 */
import { kapriError, type KapriError } from '../core/errors.js';
import { detectEnvironment, importNode } from './environment.js';
import type { KernelModule } from './loader.js';
import { rangeKernel, type Runner } from './parallel.js';
import { NODE_POOL_WORKER, WEB_POOL_WORKER } from './poolWorkerSource.js';

/** A running pool; a {@link Runner} that splits calls across its threads. */
export interface ThreadPool extends Runner {
  /** How the workers run: Node worker_threads or browser Web Workers. */
  readonly mode: 'worker_threads' | 'web-workers';
  /** Stops the workers; the pool cannot run afterwards. */
  dispose(): Promise<void>;
}

/** Options of {@link createThreadPool}. */
export interface ThreadPoolOptions {
  /** Below this much work (MACs or element operations) a call stays on the calling thread (default 2e6). */
  readonly minParallelWork?: number;
  /** Polls of the job word a worker makes before it sleeps (default 200,000, roughly 0.2–1 ms). */
  readonly spinIterations?: number;
}

const MAX_ARGS = 32;
const MAX_THREADS = 64;
const CLAIM_BASE = 8 + 2 * MAX_THREADS;
// A live worker claims a posted job within milliseconds (it polls, then wakes from Atomics.wait);
// one that has not after this long is dead or starved, and its job is revoked.
const CLAIM_MS = 750;
// A worker that claimed its range and has not finished after this long (and this many times the
// caller's own share) is taken as lost; kernel ranges take milliseconds.
const STALL_MS = 5_000;
const STALL_SHARES = 100;
// The caller sleeps in slices this short, so that a dead worker is noticed promptly.
const SLICE_MS = 2;
const DEFAULT_SPIN = 200_000;

interface WorkerHandle {
  terminate(): unknown;
}

/** Resolves when a worker's first message (its 'ready') arrives. */
const ready = (listen: (ok: () => void, fail: (e: unknown) => void) => void): Promise<void> =>
  new Promise<void>((resolve, reject) => listen(resolve, reject));

/** How a worker's death reaches the pool: the first exit or error of any worker. */
type OnDeath = (id: number, why: string) => void;

const startNodeWorkers = async (
  count: number,
  setup: (id: number) => object,
  onDeath: OnDeath,
): Promise<WorkerHandle[]> => {
  const { Worker } = await importNode<typeof import('node:worker_threads')>('node:worker_threads');
  const started = Array.from({ length: count }, (_, i) => {
    const w = new Worker(NODE_POOL_WORKER, { eval: true, workerData: setup(i + 1) });
    w.unref();
    const up = ready((ok, fail) => {
      w.once('message', ok);
      w.once('error', fail);
    });
    w.on('error', (e) => onDeath(i + 1, `failed (${(e as Error).message})`));
    w.on('exit', (code) => onDeath(i + 1, `exited with code ${code}`));
    return { w, up };
  });
  try {
    await Promise.all(started.map((s) => s.up));
  } catch (e) {
    await Promise.all(started.map((s) => s.w.terminate()));
    throw kapriError('KernelLoad', `kapri kernels: a pool worker failed to start (${(e as Error).message})`);
  }
  return started.map((s) => s.w);
};

const startWebWorkers = async (
  count: number,
  setup: (id: number) => object,
  onDeath: OnDeath,
): Promise<WorkerHandle[]> => {
  const url = URL.createObjectURL(new Blob([WEB_POOL_WORKER], { type: 'text/javascript' }));
  try {
    return await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const w = new Worker(url);
        await ready((ok, fail) => {
          w.onmessage = () => ok();
          w.onerror = (e) => fail(e);
          w.postMessage(setup(i + 1));
        });
        w.onerror = (e) => onDeath(i + 1, `failed (${e.message})`);
        return w;
      }),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
};

/**
 * Starts a pool of `threads` threads (the caller counts as one) over a threads-build module. A worker
 * that dies closes the pool: the call in flight and every later one fail with a `KapriError` (within
 * a second), and the other workers are stopped. A kernel that traps fails its call with a
 * `KapriError` and leaves the pool usable.
 */
export const createThreadPool = async (
  k: KernelModule,
  threads: number,
  options: ThreadPoolOptions = {},
): Promise<ThreadPool> => {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw kapriError('InvalidArgument', `threads must be an integer in [1, ${MAX_THREADS}], got ${String(threads)}`);
  }
  if (k.build !== 'threads' || !(k.memory.buffer instanceof SharedArrayBuffer)) {
    throw kapriError(
      'Unsupported',
      `a thread pool needs the 'threads' build over shared memory; this module is the '${k.build}' build`,
    );
  }
  const env = detectEnvironment();
  const names = WebAssembly.Module.exports(k.module)
    .filter((e) => e.kind === 'function')
    .map((e) => e.name);
  const indexOf = new Map(names.map((n, i) => [n, i]));
  const control = new SharedArrayBuffer(4 * (CLAIM_BASE + MAX_THREADS));
  const argsBuf = new SharedArrayBuffer(8 * MAX_ARGS);
  const ctl = new Int32Array(control);
  const args = new Float64Array(argsBuf);
  const setup = (id: number) => ({
    module: k.module,
    memory: k.memory,
    control,
    args: argsBuf,
    names,
    id,
    claimBase: CLAIM_BASE,
    spin: options.spinIterations ?? DEFAULT_SPIN,
  });
  let disposed = false;
  // Why the pool closed after a worker died (null while every worker lives).
  let closed: string | null = null;
  let workers: WorkerHandle[] = [];
  let stopping: Promise<unknown> | null = null;
  const stopAll = (): Promise<unknown> => {
    if (!stopping) {
      Atomics.store(ctl, 2, -1);
      Atomics.add(ctl, 0, 1);
      Atomics.notify(ctl, 0);
      stopping = Promise.all(workers.map((w) => Promise.resolve(w.terminate()).catch(() => undefined)));
    }
    return stopping;
  };
  const close = (why: string): void => {
    if (closed !== null || disposed) return;
    closed = why;
    void stopAll();
  };
  const onDeath: OnDeath = (id, why) => close(`pool worker ${id} ${why}`);
  workers =
    threads === 1
      ? []
      : env === 'node'
        ? await startNodeWorkers(threads - 1, setup, onDeath)
        : await startWebWorkers(threads - 1, setup, onDeath);
  const minWork = options.minParallelWork ?? 2e6;
  // Atomics.wait is not allowed on a browser's main thread: there the caller spins on the counter.
  const canBlock =
    env === 'node' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

  const trapped = (kernel: string, where: string, e: unknown): KapriError =>
    kapriError(
      'InvalidArgument',
      `kapri kernels: ${kernel} trapped in ${where} (${e instanceof Error ? e.message : String(e)}); its arguments do not describe valid regions of the module's memory`,
    );

  /** Waits for the workers of the posted job; throws if one is dead, after the live ones are done. */
  const awaitWorkers = (kernel: string, callerMs: number, posted: number): void => {
    const n = workers.length;
    const stallMs = Math.max(STALL_MS, STALL_SHARES * callerMs);
    let revoked = 0;
    let polls = 0;
    for (let done = Atomics.load(ctl, 1); done < n - revoked; done = Atomics.load(ctl, 1)) {
      // the workers usually finish within the caller's own share: poll before sleeping, then sleep in short slices
      if (++polls > 10_000) {
        if (canBlock) Atomics.wait(ctl, 1, done, SLICE_MS);
        const died = Atomics.load(ctl, 5);
        const waited = performance.now() - posted;
        if (died !== 0) close(`pool worker ${died} died`);
        if (closed !== null || waited > CLAIM_MS) {
          // Revoke the job of every worker that has not claimed it: a dead one never will, and a late
          // one must not run it after this call has returned.
          for (let i = 1; i <= n; i++) if (Atomics.compareExchange(ctl, CLAIM_BASE + i, 0, -1) === 0) revoked++;
          if (revoked > 0) close(closed ?? `${revoked} pool worker(s) did not take up ${kernel} within ${CLAIM_MS} ms`);
        }
        if (waited > stallMs)
          close(`a pool worker has not finished its share of ${kernel} after ${Math.round(waited)} ms`);
        if (closed !== null && (revoked > 0 || waited > stallMs || died !== 0)) break;
      }
    }
    if (closed !== null)
      throw kapriError(
        'Unsupported',
        `kapri kernels: ${closed} during ${kernel}; the thread pool is closed, create a new one`,
      );
  };

  const run = (kernel: string, callArgs: readonly number[], total: number, work: number): void => {
    if (disposed) throw kapriError('Unsupported', 'this thread pool has been disposed');
    if (closed !== null || Atomics.load(ctl, 5) !== 0) {
      close(closed ?? `pool worker ${Atomics.load(ctl, 5)} died`);
      throw kapriError('Unsupported', `kapri kernels: ${closed}; the thread pool is closed, create a new one`);
    }
    if (!indexOf.has(kernel))
      throw kapriError('InvalidArgument', `kapri kernels: no kernel named '${kernel}' in this module`);
    const f = rangeKernel(k, kernel);
    if (total <= 0) return;
    if (workers.length === 0 || work < minWork || total < 2) {
      try {
        f(...callArgs, 0, total);
      } catch (e) {
        throw trapped(kernel, 'the calling thread', e);
      }
      return;
    }
    if (callArgs.length > MAX_ARGS)
      throw kapriError('InvalidArgument', `a pooled kernel takes at most ${MAX_ARGS} arguments`);
    const parts = Math.min(threads, total);
    const bound = (i: number) => Math.floor((total * i) / parts);
    for (let i = 1; i < threads; i++) {
      ctl[8 + 2 * i] = i < parts ? bound(i) : 0;
      ctl[9 + 2 * i] = i < parts ? bound(i + 1) : 0;
      Atomics.store(ctl, CLAIM_BASE + i, 0);
    }
    args.set(callArgs);
    ctl[3] = callArgs.length;
    ctl[2] = indexOf.get(kernel)!;
    Atomics.store(ctl, 1, 0);
    Atomics.store(ctl, 4, 0);
    const posted = performance.now();
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    let own: unknown = null;
    try {
      f(...callArgs, 0, bound(1));
    } catch (e) {
      own = e ?? new Error('unknown');
    }
    // every worker is waited for (or revoked) before returning, even when the caller's share trapped
    awaitWorkers(kernel, performance.now() - posted, posted);
    if (own !== null) throw trapped(kernel, 'the calling thread', own);
    const failed = Atomics.load(ctl, 4);
    if (failed !== 0) throw trapped(kernel, `pool worker ${failed}`, 'a wasm trap');
  };

  return {
    threads,
    module: k,
    mode: env === 'node' ? 'worker_threads' : 'web-workers',
    run,
    dispose: async () => {
      disposed = true;
      await stopAll();
    },
  };
};
