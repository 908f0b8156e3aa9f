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
import { kapriError } from '../core/errors.js';
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
// A worker that has not finished its range after this long is taken as dead rather than waited on forever.
const STALL_MS = 60_000;
const DEFAULT_SPIN = 200_000;

interface WorkerHandle {
  terminate(): unknown;
}

/** Resolves when a worker's first message (its 'ready') arrives. */
const ready = (listen: (ok: () => void, fail: (e: unknown) => void) => void): Promise<void> => new Promise<void>((resolve, reject) => listen(resolve, reject));

const startNodeWorkers = async (count: number, setup: (id: number) => object): Promise<WorkerHandle[]> => {
  const { Worker } = await importNode<typeof import('node:worker_threads')>('node:worker_threads');
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const w = new Worker(NODE_POOL_WORKER, { eval: true, workerData: setup(i + 1) });
      w.unref();
      await ready((ok, fail) => {
        w.once('message', ok);
        w.once('error', fail);
      });
      return w;
    }),
  );
};

const startWebWorkers = async (count: number, setup: (id: number) => object): Promise<WorkerHandle[]> => {
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
        return w;
      }),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
};

/** Starts a pool of `threads` threads (the caller counts as one) over a threads-build module. */
export const createThreadPool = async (k: KernelModule, threads: number, options: ThreadPoolOptions = {}): Promise<ThreadPool> => {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw kapriError('InvalidArgument', `threads must be an integer in [1, ${MAX_THREADS}], got ${String(threads)}`);
  }
  if (k.build !== 'threads' || !(k.memory.buffer instanceof SharedArrayBuffer)) {
    throw kapriError('Unsupported', `a thread pool needs the 'threads' build over shared memory; this module is the '${k.build}' build`);
  }
  const env = detectEnvironment();
  const names = WebAssembly.Module.exports(k.module).filter((e) => e.kind === 'function').map((e) => e.name);
  const indexOf = new Map(names.map((n, i) => [n, i]));
  const control = new SharedArrayBuffer(4 * (8 + 2 * MAX_THREADS));
  const argsBuf = new SharedArrayBuffer(8 * MAX_ARGS);
  const ctl = new Int32Array(control);
  const args = new Float64Array(argsBuf);
  const setup = (id: number) => ({ module: k.module, memory: k.memory, control, args: argsBuf, names, id, spin: options.spinIterations ?? DEFAULT_SPIN });
  const workers = threads === 1 ? [] : env === 'node' ? await startNodeWorkers(threads - 1, setup) : await startWebWorkers(threads - 1, setup);
  const minWork = options.minParallelWork ?? 2e6;
  // Atomics.wait is not allowed on a browser's main thread: there the caller spins on the counter.
  const canBlock = env === 'node' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  let alive = true;

  const run = (kernel: string, callArgs: readonly number[], total: number, work: number): void => {
    if (!alive) throw kapriError('Unsupported', 'this thread pool has been disposed');
    const f = rangeKernel(k, kernel);
    if (total <= 0) return;
    if (workers.length === 0 || work < minWork || total < 2) {
      f(...callArgs, 0, total);
      return;
    }
    if (callArgs.length > MAX_ARGS) throw kapriError('InvalidArgument', `a pooled kernel takes at most ${MAX_ARGS} arguments`);
    const parts = Math.min(threads, total);
    const bound = (i: number) => Math.floor((total * i) / parts);
    for (let i = 1; i < threads; i++) {
      ctl[8 + 2 * i] = i < parts ? bound(i) : 0;
      ctl[9 + 2 * i] = i < parts ? bound(i + 1) : 0;
    }
    args.set(callArgs);
    ctl[3] = callArgs.length;
    ctl[2] = indexOf.get(kernel)!; // rangeKernel above has checked the name
    Atomics.store(ctl, 1, 0);
    Atomics.store(ctl, 4, 0);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    try {
      f(...callArgs, 0, bound(1));
    } finally {
      const n = workers.length;
      const deadline = performance.now() + STALL_MS;
      let polls = 0;
      for (let done = Atomics.load(ctl, 1); done < n; done = Atomics.load(ctl, 1)) {
        // the workers usually finish within the caller's own share: poll before sleeping
        if (canBlock && ++polls > 10_000) Atomics.wait(ctl, 1, done, 100);
        if (performance.now() > deadline) {
          alive = false;
          throw kapriError('Unsupported', `kapri kernels: a pool worker stopped responding during ${kernel} (${done} of ${n} finished after ${STALL_MS / 1000} s); the pool is closed`);
        }
      }
    }
    if (Atomics.load(ctl, 4) !== 0) throw kapriError('Unsupported', `kapri kernels: ${kernel} failed in a pool worker`);
  };

  return {
    threads,
    mode: env === 'node' ? 'worker_threads' : 'web-workers',
    run,
    dispose: async () => {
      if (!alive) return;
      alive = false;
      Atomics.store(ctl, 2, -1);
      Atomics.add(ctl, 0, 1);
      Atomics.notify(ctl, 0);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
};
