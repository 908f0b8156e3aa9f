/**
 * A worker pool over the threads build's shared memory: every worker instantiates the same
 * compiled module over the same `WebAssembly.Memory`, so a kernel call is split by cutting its range
 * of output rows, pixels or channels into chunks (guidedChunks.ts: each a share of what is left,
 * small near the end). Every thread, the caller first, takes the next chunk from one shared counter,
 * so a worker that is late to wake costs the call little: the caller works from the start, the
 * worker joins when it wakes, and the caller waits at most for one small chunk. Idle workers spin on
 * the job word for a bounded time (longer while the caller keeps the pool warm for an inference, see
 * {@link Runner.keepWarm}), then
 * sleep on `Atomics.wait` (a wake costs ~0.05 ms, more on a busy host; postMessage 0.5–2.6 ms).
 * Whether a call is split is decided from measured cost. Outside bursts, per call: each kernel's
 * time per unit of work on the calling thread against the hand-off latency measured when the pool
 * starts. In a burst (an executor's inference, {@link Runner.keepWarm}), the burst runs split or
 * serially by measurement (modeChoice.ts), and in a split burst each call site splits, in equal
 * chunks, when its own serial time is a few hand-offs (siteChoice.ts, evenChunks.ts).
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
import { evenChunks } from './evenChunks.js';
import { classSplits, kernelCost, learnRate, noteGain, trustedRate, type KernelCost } from './kernelCost.js';
import { guidedChunks } from './guidedChunks.js';
import { modeTimes, nextMode, recordMode, wantsWarm, type ModeTimes } from './modeChoice.js';
import {
  isSite,
  nextSiteMode,
  recordSerial,
  siteSerialMs,
  siteTimed,
  siteTimes,
  type SiteTimes,
} from './siteChoice.js';
import { rangeKernel, type Runner } from './parallel.js';
import { callsAreClose, gapLog, noteAwake, recordGap, shouldWake, spinBudgetUs, wakeRecord } from './spinBudget.js';
import { NODE_POOL_WORKER, WEB_POOL_WORKER } from './poolWorkerSource.js';

/** A running pool; a {@link Runner} that splits calls across its threads. */
export interface ThreadPool extends Runner {
  /** How the workers run: Node worker_threads or browser Web Workers. */
  readonly mode: 'worker_threads' | 'web-workers';
  /** See {@link Runner.keepWarm}. */
  keepWarm(burst?: object): () => void;
  /** The hand-off latency to warm workers measured at start (ms; 0 without workers): calls are split above a multiple of it. */
  readonly handoffMs: number;
  /** Calls this pool has split across its threads so far (the rest ran on the calling thread). */
  readonly splitCalls: number;
  /** Workers asleep in `Atomics.wait` now (the others spin or work). */
  readonly sleepingWorkers: number;
  /** Microseconds a worker now spins after its last job before it sleeps (see {@link ThreadPoolOptions.spinMicros}). */
  readonly spinMicros: number;
  /** What the pool's last split call measured; null before its first. */
  readonly lastSplit: SplitRecord | null;
  /** Stops the workers; the pool cannot run afterwards. */
  dispose(): Promise<void>;
}

/**
 * One split call as the calling thread saw it. `callerMs / callerShare` is what the whole call
 * would have taken at the caller's pace during it: far above the call's one-thread time, it says
 * both threads ran slowly at once: the cores under the pool were not both at speed for that call
 * (after a 60 ms idle on a 2-vCPU VM, stop 32: the caller ran its share at 1.4-2.6x its one-thread
 * time on 10 of 16 calls; with the worker spinning through the idle the call split 1.9-2.4x), which
 * no splitting policy can win back.
 */
export interface SplitRecord {
  /** The share of the call's range (rows, pixels or channels) the calling thread ran, 0 to 1. */
  readonly callerShare: number;
  /** Milliseconds the calling thread spent taking and running its chunks. */
  readonly callerMs: number;
  /** Milliseconds of the whole call, from posting the job to its last chunk done. */
  readonly ms: number;
}

/** Options of {@link createThreadPool}. */
export interface ThreadPoolOptions {
  /**
   * Below this much work (MACs or element operations) a call stays on the calling thread. By default
   * the pool decides per call from measured cost instead: it learns each kernel's time per unit of
   * work on the calling thread and splits a call only when its expected time is several times the
   * hand-off latency measured when the pool starts.
   */
  readonly minParallelWork?: number;
  /**
   * Microseconds a worker spins after its last job before it sleeps on `Atomics.wait`. By default
   * 500, raised to cover the gaps the caller leaves between calls when they are short (up to 3 ms;
   * spinBudget.ts); a number given here is used as it is.
   */
  readonly spinMicros?: number;
  /** Microseconds a worker may spin while the caller keeps the pool warm ({@link Runner.keepWarm}; default 100,000). */
  readonly warmCapMicros?: number;
}

const MAX_ARGS = 32;
const MAX_THREADS = 64;
const MAX_CHUNKS = 8 * MAX_THREADS;
// ctl[NEXT] = tag·1024 + the next chunk to take; ctl[BOUNDS + j] = chunk j's first item.
const NEXT = 12;
const BOUNDS = 16;
// A worker that claimed a chunk and has not finished it after this long (and this many times the
// caller's own share) is taken as lost; kernel ranges take milliseconds.
const STALL_MS = 5_000;
const STALL_SHARES = 100;
// The caller sleeps in slices this short, so that a dead worker is noticed promptly.
const SLICE_MS = 2;
const DEFAULT_SPIN_US = 500;
const DEFAULT_WARM_CAP_US = 100_000;
// A call is split only when its expected time is this many times the measured hand-off latency.
const SPLIT_FACTOR = 4;
// The smallest chunk: this many times the hand-off latency of work, and at least MIN_CHUNK_MS.
const CHUNK_HANDOFFS = 4;
const MIN_CHUNK_MS = 0.01;
// A burst that begins this long after the pool's last burst ended follows an idle spell.
const IDLE_BURST_MS = 5;
// A call expected to take at least this long always splits: a hand-off of tens of microseconds
// cannot cost it what a second core gains, and a late worker costs nothing (the caller takes up its
// chunks). The measured-gain rule is for short calls, where the hand-off is the cost; applied to long
// ones, one split call measured while the host was busy kept a 4 ms convolution serial for good.
// After an idle the second core comes back late on some calls and not on others (ThreadPool.lastSplit);
// choosing split or serial there by modeChoice.ts's medians lost to always splitting (int8 bench
// shapes over 1e8 MACs after a 60 ms idle, three alternating runs each: 1.11, 1.02, 0.99 against
// 1.26, 1.38, 1.06; stop 32), since the splits that win, win by up to 1.8x.
const ALWAYS_SPLIT_MS = 0.5;
// A call that finds the workers asleep runs on the calling thread (and wakes them for the next call
// when calls come close together, spinBudget.ts) when it is shorter than ALWAYS_SPLIT_MS, or than
// this after an idle spell (ASLEEP_IDLE_MS without a call). A woken worker came back late on this
// host, often on the caller's own vCPU (stop 34: 0.5-3.3 ms late after a 60 ms idle,
// bench/hostWake.ts): split so, a 0.4 ms conv took 1.0 ms and one call kept its size class serial
// for 32 calls; after the idle, split calls of 1.1-2.6 ms lost to one thread (2.2 vs 1.8, 1.8 vs
// 1.5, 3.5 vs 3.1 ms) where those of 6 and 12 ms won (7.1 vs 9.5, 11.4 vs 12.4 ms; one full bench
// run). Back to back a worker that joins a long call late still gains (see ASLEEP_IDLE_MS).
const ASLEEP_SPLIT_MS = 4;
// An idle spell for that rule: in the kernel bench's alternation with one thread (calls 0.1 or 9 ms
// apart), a 2.8 ms GEMM that found its worker asleep after the 9 ms gaps and split ran 1.7x over
// the row (a script run); after 60 ms, calls of that length lost.
const ASLEEP_IDLE_MS = 20;
// A split call whose caller ran at least this share of the range times the kernel's rate too.
const MIN_PACE_SHARE = 0.25;
// Gaps between calls shorter than this say nothing of how long workers should spin (spinBudget.ts).
const MIN_GAP_MS = 0.05;
// Empty jobs a new pool runs through its workers' job path before it measures anything, timed in
// batches of WARM_BATCH (the hand-off is the fastest batch's mean round trip).
const WARM_JOBS = 2000;
const WARM_BATCH = 16;
// Call sites a burst keeps times for (siteChoice.ts); later calls of a longer burst take the per-call rule.
const MAX_SITES = 4096;

/** A kernel as the pool calls it: its export index (what workers call), its function and its learnt cost. */
interface Entry {
  readonly index: number;
  readonly f: (...a: number[]) => void;
  readonly cost: KernelCost;
}

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
  const control = new SharedArrayBuffer(4 * (BOUNDS + MAX_CHUNKS + 1));
  const argsBuf = new SharedArrayBuffer(8 * MAX_ARGS);
  const ctl = new Int32Array(control);
  const args = new Float64Array(argsBuf);
  ctl[10] = micros('spinMicros', options.spinMicros, DEFAULT_SPIN_US);
  ctl[11] = micros('warmCapMicros', options.warmCapMicros, DEFAULT_WARM_CAP_US);
  const setup = (id: number) => ({
    module: k.module,
    memory: k.memory,
    control,
    args: argsBuf,
    names,
    id,
    threads,
    next: NEXT,
    bounds: BOUNDS,
  });
  let disposed = false;
  // Why the pool closed after a worker died (null while every worker lives).
  let closed: string | null = null;
  let workers: WorkerHandle[] = [];
  let stopping: Promise<unknown> | null = null;
  let gen = 0;
  const stopAll = (): Promise<unknown> => {
    if (!stopping) {
      Atomics.store(ctl, 2, -1);
      Atomics.store(ctl, 0, ++gen);
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
  // Atomics.wait is not allowed on a browser's main thread: there the caller spins on the counter.
  const canBlock =
    env === 'node' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

  const trapped = (kernel: string, where: string, e: unknown): KapriError =>
    kapriError(
      'InvalidArgument',
      `kapri kernels: ${kernel} trapped in ${where} (${e instanceof Error ? e.message : String(e)}); its arguments do not describe valid regions of the module's memory`,
    );

  const closedError = (kernel: string): KapriError =>
    kapriError('Unsupported', `kapri kernels: ${closed} during ${kernel}; the thread pool is closed, create a new one`);

  /** Waits until every chunk of the posted job is finished; throws if a worker died or stalled holding one. */
  const awaitChunks = (kernel: string, chunks: number, callerMs: number, posted: number): void => {
    const stallMs = Math.max(STALL_MS, STALL_SHARES * callerMs);
    let polls = 0;
    for (let done = Atomics.load(ctl, 1); done < chunks; done = Atomics.load(ctl, 1)) {
      // a worker holding a chunk usually finishes within microseconds: poll, then sleep in short slices
      if (++polls > 10_000) {
        if (canBlock) Atomics.wait(ctl, 1, done, SLICE_MS);
        const died = Atomics.load(ctl, 5);
        if (died !== 0) close(`pool worker ${died} died`);
        const waited = performance.now() - posted;
        if (waited > stallMs)
          close(`a pool worker has not finished its share of ${kernel} after ${Math.round(waited)} ms`);
        if (closed !== null) break;
      }
    }
    // a worker that died after its chunks, or without claiming any, closes the pool all the same
    const died = Atomics.load(ctl, 5);
    if (died !== 0) close(`pool worker ${died} died`);
    if (closed !== null) throw closedError(kernel);
  };

  /**
   * Posts a job cut at `bounds` (guidedChunks.ts) and takes chunks from the shared
   * counter until none is left, or `callerChunks` of them; returns the caller's trap (if any) and its
   * own time. `f` null posts an empty job.
   */
  const post = (
    kernelIndex: number,
    f: ((...a: number[]) => void) | null,
    callArgs: readonly number[],
    bounds: Int32Array,
    callerChunks = Number.POSITIVE_INFINITY,
  ): { own: unknown; ms: number; posted: number; share: number } => {
    gen++;
    const tag = (gen & 0x1fffff) * 1024;
    const chunks = bounds.length - 1;
    ctl.set(bounds, BOUNDS);
    args.set(callArgs);
    ctl[3] = callArgs.length;
    ctl[2] = kernelIndex;
    ctl[6] = chunks;
    Atomics.store(ctl, 1, 0);
    Atomics.store(ctl, 4, 0);
    Atomics.store(ctl, NEXT, tag);
    const posted = performance.now();
    Atomics.store(ctl, 0, gen);
    if (Atomics.load(ctl, 8) > 0) Atomics.notify(ctl, 0);
    let own: unknown = null;
    let ownItems = 0;
    for (let taken = 0; taken < callerChunks; taken++) {
      const j = Atomics.add(ctl, NEXT, 1) - tag;
      if (j >= chunks) break;
      const s = bounds[j]!;
      const e = bounds[j + 1]!;
      ownItems += e - s;
      if (own === null && f !== null) {
        try {
          f(...callArgs, s, e);
        } catch (err) {
          own = err ?? new Error('unknown');
        }
      }
      Atomics.add(ctl, 1, 1);
    }
    const items = bounds[chunks]! - bounds[0]!;
    return { own, ms: performance.now() - posted, posted, share: items > 0 ? ownItems / items : 0 };
  };

  // Each kernel's export index (what workers call), its function, looked up once per name, and what
  // the pool learns of its cost outside bursts (kernelCost.ts).
  const entries = new Map<string, Entry>();
  const entryOf = (kernel: string): Entry => {
    let e = entries.get(kernel);
    if (e === undefined) {
      const index = indexOf.get(kernel);
      if (index === undefined)
        throw kapriError('InvalidArgument', `kapri kernels: no kernel named '${kernel}' in this module`);
      e = { index, f: rangeKernel(k, kernel), cost: kernelCost() };
      entries.set(kernel, e);
    }
    return e;
  };
  // The hand-off latency to warm workers: the start-up jobs' fastest batch mean round trip (below). Calls
  // are split only when they are expected to take several times this.
  let handoffMs = 0;
  if (workers.length > 0) {
    // A fresh worker runs its job path (and the caller its split path) in the engine's first tiers
    // until they have run some hundreds of times: a pool that measured its first bursts then chose
    // to run serially and, splitting rarely after, never left them (hands student, stop 33: split
    // bursts of 190-260 us against 180 serially, where warm ones took 125-155). Jobs of a real
    // kernel over empty ranges take the whole path, a few microseconds each. The hand-off is the
    // fastest of many batches, not of a few: on a busy host most round trips include a descheduled
    // worker, and a hand-off read too long keeps every call under a few of it serial for the pool's life.
    // Round trips are timed in batches: a browser's clock moves in steps of 5 us or more, and a
    // single round trip there read 0.
    const add = entryOf('qs8_add');
    const noRows = new Int32Array(threads + 1);
    const noArgs = [0, 0, 0, 0, 1, 0, 1, 0, -128, 127];
    handoffMs = Number.POSITIVE_INFINITY;
    for (let b = 0; b < WARM_JOBS / WARM_BATCH; b++) {
      const t0 = performance.now();
      for (let i = 0; i < WARM_BATCH; i++) {
        const { posted } = post(add.index, add.f, noArgs, noRows, 1);
        awaitChunks('the start-up warm-up', threads, 0, posted);
      }
      handoffMs = Math.min(handoffMs, (performance.now() - t0) / WARM_BATCH);
    }
  }
  // The hand-off as the split rules use it: at least 2 us.
  const unitMs = Math.max(handoffMs, 0.002);
  // The gaps the caller leaves between its calls and bursts set how long workers spin (spinBudget.ts)
  const adaptiveSpin = options.spinMicros === undefined && workers.length > 0;
  const gaps = gapLog();
  // whether gaps came since the budget in ctl[10] was computed
  let spinStale = false;
  let lastEnd = Number.NEGATIVE_INFINITY;
  // milliseconds between the last call's (or burst's) end and the start of the op under way
  let sinceLast = Number.POSITIVE_INFINITY;
  // whether the calls that woke sleeping workers found them awake at the next call
  const wakes = wakeRecord();
  /** Notes that a call or burst starts at `t`: the gap since the last one sets the workers' spin. */
  const noteStart = (t: number): void => {
    // the calls of one op (a pad, then its conv) follow each other at once: they keep the gap
    // before the op (a conv after an idle is after the idle), and any spin covers them
    const gap = t - lastEnd;
    if (gap < MIN_GAP_MS) return;
    sinceLast = gap;
    if (!adaptiveSpin) return;
    recordGap(gaps, gap);
    spinStale = true;
  };
  /**
   * Brings the workers' spin budget up to date with the gaps: called before workers are given a job
   * or woken, not on every call (see spinBudget.ts). The workers spin on this cache line: it is
   * written only when the budget changes.
   */
  const refreshSpin = (): void => {
    if (!spinStale) return;
    spinStale = false;
    const us = spinBudgetUs(gaps, DEFAULT_SPIN_US);
    if (us !== ctl[10]) Atomics.store(ctl, 10, us);
  };

  /** A call expected to take `expectedMs` cut by guided self-scheduling, no chunk under a few hand-offs. */
  const guidedSplit = (total: number, expectedMs: number): Int32Array => {
    const minChunkMs = Math.max(CHUNK_HANDOFFS * unitMs, MIN_CHUNK_MS);
    return guidedChunks(total, threads, Math.max(1, Math.ceil((total * minChunkMs) / expectedMs)), MAX_CHUNKS);
  };
  /** The chunk boundaries of a split call, or null to keep it on the calling thread. */
  const chunksFor = (cost: KernelCost, total: number, work: number, asleep: boolean): Int32Array | null => {
    if (workers.length === 0 || total < 2 || serialBurst) return null;
    if (options.minParallelWork !== undefined)
      return work < options.minParallelWork ? null : guidedChunks(total, threads, 1, MAX_CHUNKS);
    const expected = trustedRate(cost) * work;
    if (!(expected >= SPLIT_FACTOR * unitMs)) return null;
    // A call that would split finds the workers asleep: unless it is long, it runs serially, and
    // wakes them when the caller's calls come close together and its size class would split, so
    // that the next finds them spinning. Decided first: after an idle (calls far apart) it needs
    // nothing more, and every line it runs there is cold.
    noteAwake(wakes, !asleep);
    if (asleep && expected < (sinceLast > ASLEEP_IDLE_MS ? ASLEEP_SPLIT_MS : ALWAYS_SPLIT_MS)) {
      if (callsAreClose(gaps) && (expected >= ALWAYS_SPLIT_MS || classSplits(cost, work, false)) && shouldWake(wakes)) {
        refreshSpin();
        Atomics.notify(ctl, 0);
      }
      return null;
    }
    if (expected < ALWAYS_SPLIT_MS) {
      // the class's verdict before the chunks are cut: a class whose splits do not pay runs
      // serially 31 calls in 32 and need not cut them
      if (!classSplits(cost, work)) return null;
      // A short call gets here only with its workers awake (above): it splits in equal chunks, as
      // a burst's short sites do (evenChunks.ts), since there is no late worker to hedge against.
      // Guided chunks of 10 us or more took a 90 us depthwise's gain: forced splits ran 82 us in
      // them and 71-76 us in halves, against 88 us serially (stop 35, scripts), so its class was
      // judged to lose (under MIN_GAIN) and stayed serial.
      const halves = evenChunks(total, threads);
      return halves.length < 3 ? null : halves;
    }
    const split = guidedSplit(total, expected);
    return split.length < 3 ? null : split;
  };

  let warm = 0;
  let splitCalls = 0;
  let lastSplit: SplitRecord | null = null;
  // Bursts (inferences) of one kind, e.g. one model's, run split or serially by measurement
  // (modeChoice.ts: the faster mode by the median of its recent bursts, the other re-tried now and
  // then), so the choice follows the host (a loaded machine, where no core is free, runs serially).
  // Kept apart for bursts that follow an idle spell (IDLE_BURST_MS without one) and bursts back to
  // back: after an idle the same inference took 3x as long on one thread (cold caches, sleeping
  // workers), so one record for both let one pattern's times choose the mode for the other.
  // A kind of burst also keeps each call site's serial time (siteChoice.ts): in a split burst a call
  // splits by its own time, not by its kernel's rate.
  type BurstStats = ModeTimes & { sites: SiteTimes[] };
  const burstStats = (strict: boolean): BurstStats => ({ ...modeTimes(strict), sites: [] });
  // The sites of the split burst under way (null outside one) and the index of its next call.
  let sites: SiteTimes[] | null = null;
  let siteIndex = 0;
  type BurstKinds = { idle: BurstStats; busy: BurstStats };
  const bursts = new WeakMap<object, BurstKinds>();
  // the last burst's kinds, found without a look-up: an app mostly runs one model (after an idle
  // every line a burst runs is cold, and the pool's bookkeeping is what it adds to the inference)
  let lastBurst: object | null = null;
  let lastKinds: BurstKinds | null = null;
  /** The kinds of bursts of `burst` (bursts after an idle spell are noisy, so strict). */
  const kindsOf = (burst: object): BurstKinds => {
    if (burst === lastBurst) return lastKinds!;
    let kinds = bursts.get(burst);
    if (kinds === undefined) {
      kinds = { idle: burstStats(true), busy: burstStats(false) };
      bursts.set(burst, kinds);
    }
    lastBurst = burst;
    lastKinds = kinds;
    return kinds;
  };
  let lastBurstEnd = Number.NEGATIVE_INFINITY;
  const anyBurst = {};
  let serialBurst = false;
  const run = (kernel: string, callArgs: readonly number[], total: number, work: number): void => {
    if (disposed) throw kapriError('Unsupported', 'this thread pool has been disposed');
    if (closed !== null || Atomics.load(ctl, 5) !== 0) {
      close(closed ?? `pool worker ${Atomics.load(ctl, 5)} died`);
      throw kapriError('Unsupported', `kapri kernels: ${closed}; the thread pool is closed, create a new one`);
    }
    const e = entryOf(kernel);
    if (total <= 0) return;
    // A burst that runs serially has its rates already: its calls go straight to the kernel, without
    // the two clock reads and the rate update of the timed path (a call ~170 ns here against ~400).
    if (serialBurst) {
      runDirect(kernel, e.f, callArgs, total);
      return;
    }
    // a fixed minParallelWork decides every call alike, in bursts too
    if (sites !== null && siteIndex < MAX_SITES && options.minParallelWork === undefined) {
      runSite(kernel, e, callArgs, total, work);
      return;
    }
    // a call outside a burst: its gap since the last one counts (a burst's calls are one activity)
    const t0 = performance.now();
    if (warm === 0) noteStart(t0);
    const asleep = Atomics.load(ctl, 8) > 0;
    const bounds = chunksFor(e.cost, total, work, asleep);
    if (bounds === null) {
      // timed from the call's start: the decision's microsecond counts in, and the clock is read
      // twice in all (~70 ns a read in a tight loop here, 1-2 us as the first touch after an idle)
      const ms = runSerial(kernel, e, callArgs, total, work, t0);
      if (warm === 0) lastEnd = t0 + ms;
    } else {
      const took = runSplit(kernel, e, callArgs, bounds);
      // only splits that found the workers awake measure the split (one that woke them measures the
      // wake-up); the gains are read by short calls' verdicts (chunksFor)
      if (!asleep && took > 0) noteGain(e.cost, work, (e.cost.msPerWork * work) / took);
      // The caller's pace in the split (its ms over its share of the range; back to back 0.98-1.04
      // of one thread's time in the bench's notes) keeps the kernel's rate current for calls that always
      // split and so are no longer timed serially: a GEMM's rate from its first, cold calls read
      // 4.3 ms where it ran in 2.8 (stop 34).
      const s = lastSplit;
      if (s !== null && s.callerShare >= MIN_PACE_SHARE && work > 0)
        learnRate(e.cost, s.callerMs / s.callerShare / work);
      if (warm === 0) lastEnd = performance.now();
    }
  };

  /** Runs a call on the calling thread, untimed. */
  const runDirect = (kernel: string, f: (...a: number[]) => void, callArgs: readonly number[], total: number): void => {
    try {
      f(...callArgs, 0, total);
    } catch (e) {
      throw trapped(kernel, 'the calling thread', e);
    }
  };

  /** Runs a call on the calling thread, timed from `t0`: its rate per unit of work is learnt. Returns its ms. */
  const runSerial = (
    kernel: string,
    e: Entry,
    callArgs: readonly number[],
    total: number,
    work: number,
    t0 = performance.now(),
  ): number => {
    try {
      e.f(...callArgs, 0, total);
    } catch (err) {
      throw trapped(kernel, 'the calling thread', err);
    }
    const ms = performance.now() - t0;
    if (work > 0 && ms > 0) learnRate(e.cost, ms / work);
    return ms;
  };

  /** Runs a call split at `bounds` across the pool; returns its ms from posting to its last chunk. */
  const runSplit = (kernel: string, e: Entry, callArgs: readonly number[], bounds: Int32Array): number => {
    if (callArgs.length > MAX_ARGS)
      throw kapriError('InvalidArgument', `a pooled kernel takes at most ${MAX_ARGS} arguments`);
    splitCalls++;
    refreshSpin();
    const { own, ms, posted, share } = post(e.index, e.f, callArgs, bounds);
    // every claimed chunk is waited for before returning, even when the caller's share trapped
    awaitChunks(kernel, bounds.length - 1, ms, posted);
    const took = performance.now() - posted;
    lastSplit = { callerShare: share, callerMs: ms, ms: took };
    if (own !== null) throw trapped(kernel, 'the calling thread', own);
    const failed = Atomics.load(ctl, 4);
    if (failed !== 0) throw trapped(kernel, `pool worker ${failed}`, 'a wasm trap');
    return took;
  };

  /**
   * A call of a split burst, by its site's record (siteChoice.ts): serially until timed and while
   * it takes under SPLIT_FACTOR hand-offs, split otherwise. Short sites split in equal chunks
   * (evenChunks.ts: the workers are awake in a burst); a site of at least ALWAYS_SPLIT_MS splits in
   * guided chunks, as outside bursts, since after an idle a worker may join it late.
   */
  const runSite = (kernel: string, e: Entry, callArgs: readonly number[], total: number, work: number): void => {
    const all = sites!;
    const i = siteIndex++;
    let site = all[i];
    if (site === undefined || !isSite(site, kernel, total, work)) {
      site = siteTimes(kernel, total, work, i);
      all[i] = site;
    }
    const serialMs = siteSerialMs(site);
    const long = serialMs >= ALWAYS_SPLIT_MS;
    const mode = total < 2 ? 'serial' : nextSiteMode(site, SPLIT_FACTOR * unitMs, serialMs);
    const bounds = mode === 'serial' ? null : long ? guidedSplit(total, serialMs) : evenChunks(total, threads);
    if (bounds === null || bounds.length < 3) {
      if (siteTimed(site, SPLIT_FACTOR * unitMs, serialMs))
        recordSerial(site, runSerial(kernel, e, callArgs, total, work));
      else runDirect(kernel, e.f, callArgs, total);
      return;
    }
    runSplit(kernel, e, callArgs, bounds);
  };

  return {
    threads,
    module: k,
    mode: env === 'node' ? 'worker_threads' : 'web-workers',
    handoffMs,
    get splitCalls() {
      return splitCalls;
    },
    get sleepingWorkers() {
      return Atomics.load(ctl, 8);
    },
    get spinMicros() {
      return Atomics.load(ctl, 10);
    },
    get lastSplit() {
      return lastSplit;
    },
    run,
    keepWarm: (burst: object = anyBurst) => {
      if (disposed || closed !== null || workers.length === 0 || warm++ > 0)
        return once(() => {
          if (warm > 0) warm--;
        });
      const kinds = kindsOf(burst);
      const start = performance.now();
      noteStart(start);
      const st: BurstStats = start - lastBurstEnd > IDLE_BURST_MS ? kinds.idle : kinds.busy;
      const mode = nextMode(st);
      serialBurst = mode === 'serial';
      sites = serialBurst ? null : st.sites;
      siteIndex = 0;
      // a split burst keeps its workers awake throughout: a call site that finds them asleep is
      // taken up by the caller alone and measures as if splitting did not pay (stop 33: the hands
      // student's convs split in 14 us with the worker awake, 26 us without, against 25 serially);
      // so do back-to-back serial bursts while the kind learns and shortly before it re-tries
      // splitting (modeChoice.ts wantsWarm). Not bursts after an idle spell: their workers sleep
      // through every gap, whatever the mode, and waking them for a serial burst only costs it
      const keepAwake = !serialBurst || (st === kinds.busy && wantsWarm(st));
      if (keepAwake) {
        Atomics.store(ctl, 9, 1);
        // sleeping workers wake now, while the caller starts its own work, and spin until the burst ends
        refreshSpin();
        if (Atomics.load(ctl, 8) > 0) Atomics.notify(ctl, 0);
      }
      return once(() => {
        lastBurstEnd = performance.now();
        lastEnd = lastBurstEnd;
        recordMode(st, mode, lastBurstEnd - start);
        serialBurst = false;
        sites = null;
        warm--;
        if (keepAwake) Atomics.store(ctl, 9, 0);
      });
    },
    dispose: async () => {
      disposed = true;
      await stopAll();
    },
  };
};

/** `f` on its first call only. */
const once = (f: () => void): (() => void) => {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
};

/** A microsecond option: a non-negative integer, at most one minute. */
const micros = (name: string, v: number | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 0 || v > 60e6)
    throw kapriError(
      'InvalidArgument',
      `${name} must be an integer number of microseconds in [0, 60e6], got ${String(v)}`,
    );
  return v;
};
