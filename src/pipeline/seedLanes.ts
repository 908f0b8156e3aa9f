/**
 * One job per seed, `jobs` at a time: with one job they run in this thread one after another; with
 * more, each seed runs on a worker thread of its own (tfjs-wasm is single-threaded in Node, so a
 * second core is otherwise idle). A seed's job depends only on its inputs and its seed, so results are
 * the same whatever `jobs` is (timings aside); they come back in seed order. The first failure stops
 * every other worker: a failed run must not keep training for its report's sake.
 * `kapri run` (seedPool.ts) and `kapri target` (runTarget.ts) both run their seeds here.
 */
import { kapriError, KapriError, type KapriErrorTag } from '../core/errors.js';
import type { ProgressSink } from '../core/progress.js';
import { siblingModule } from '../core/siblingModule.js';

export interface SeedLanes<R> {
  readonly seeds: readonly number[];
  /** Seeds run at once (1: in this thread), an integer in [1, 64]. */
  readonly jobs: number;
  readonly onProgress: ProgressSink;
  /** One seed in this thread (jobs 1, or a single seed). */
  readonly here: (seed: number, first: boolean) => Promise<R>;
  /** The JavaScript heap each worker may grow to, MiB (default JOB_HEAP_LIMIT_MB). */
  readonly heapLimitMb?: number;
  /** The worker module beside this one (its name without extension) and the structured-cloneable data it gets. */
  readonly worker: { readonly entry: string; readonly data: (seed: number, first: boolean) => unknown };
}

/** What a worker posts: progress events, then its result or its error as plain data. */
type WorkerMessage<R> =
  | { kind: 'progress'; event: Parameters<ProgressSink>[0] }
  | { kind: 'done'; result: R }
  | { kind: 'error'; error: { tag: KapriErrorTag; message: string; details: Record<string, unknown> } };

/**
 * The JavaScript heap a seed's worker may grow to (V8's old generation), MiB. A seed peaks far below
 * it (report.json `timings.peakMemoryMb`: heap and WebAssembly memory together); a job past it is a
 * leak or a dataset too large for one thread, and ends with OutOfMemory instead of taking the machine.
 */
export const JOB_HEAP_LIMIT_MB = 2048;

/** The workers of a run still going. */
type Live = Set<{ terminate(): Promise<number> }>;

const runInWorker = async <R>(o: SeedLanes<R>, seed: number, first: boolean, live: Live): Promise<R> => {
  const { Worker } = await import('node:worker_threads');
  const limitMb = o.heapLimitMb ?? JOB_HEAP_LIMIT_MB;
  const entry = siblingModule(import.meta.url, o.worker.entry);
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const w = new Worker(entry.url, {
      workerData: o.worker.data(seed, first),
      execArgv: entry.execArgv,
      resourceLimits: { maxOldGenerationSizeMb: limitMb },
    });
    live.add(w);
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      live.delete(w);
      f();
      void w.terminate();
    };
    w.on('message', (m: WorkerMessage<R>) => {
      if (m.kind === 'progress') o.onProgress({ ...m.event, stage: `seed ${seed} · ${m.event.stage}` });
      else if (m.kind === 'done') settle(() => resolve(m.result));
      else settle(() => reject(kapriError(m.error.tag, m.error.message, m.error.details)));
    });
    w.on('error', (e) =>
      settle(() =>
        reject(
          (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? kapriError(
                'OutOfMemory',
                `seed ${seed}: its worker ran out of memory (a JavaScript heap of at most ${limitMb} MiB per job)`,
                { seed, limitMb },
              )
            : kapriError('Unsupported', `seed ${seed}: its worker failed (${e.message})`, { seed }),
        ),
      ),
    );
    w.on('exit', (code) =>
      settle(() =>
        reject(
          kapriError('Unsupported', `seed ${seed}: its worker exited with code ${code} before finishing`, {
            seed,
            code,
          }),
        ),
      ),
    );
  });
};

/** Runs every seed's job; results in seed order (the first seed is the one with `first` true). */
export const runSeedLanes = async <R>(o: SeedLanes<R>): Promise<R[]> => {
  if (!Number.isInteger(o.jobs) || o.jobs < 1 || o.jobs > 64)
    throw kapriError('InvalidArgument', `jobs must be an integer in [1, 64], got ${o.jobs}`);
  if (o.jobs === 1 || o.seeds.length === 1) {
    const out: R[] = [];
    for (const [i, seed] of o.seeds.entries()) out.push(await o.here(seed, i === 0));
    return out;
  }
  const out: R[] = new Array(o.seeds.length);
  const live: Live = new Set();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < o.seeds.length) {
      const i = next++;
      out[i] = await runInWorker(o, o.seeds[i]!, i === 0, live);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.jobs, o.seeds.length) }, lane));
  } catch (e) {
    next = o.seeds.length;
    await Promise.all([...live].map((w) => w.terminate()));
    throw e;
  }
  return out;
};

/**
 * The body of a seed's worker: runs `job` with a progress sink that posts to the parent, then posts
 * its result or its error (a KapriError keeps its tag; anything else becomes Unsupported naming the seed).
 */
export const serveSeedJob = async <R>(seed: number, job: (onProgress: ProgressSink) => Promise<R>): Promise<void> => {
  const { parentPort } = await import('node:worker_threads');
  const port = parentPort!;
  try {
    const result = await job((event) => port.postMessage({ kind: 'progress', event }));
    port.postMessage({ kind: 'done', result });
  } catch (e) {
    const err =
      e instanceof KapriError
        ? { tag: e.tag, message: e.message, details: e.details }
        : { tag: 'Unsupported', message: `seed ${seed} failed: ${(e as Error)?.message ?? String(e)}`, details: {} };
    port.postMessage({ kind: 'error', error: JSON.parse(JSON.stringify(err)) });
  }
};
