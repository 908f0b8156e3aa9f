/**
 * Runs the seeds of a pipeline run, `jobs` at a time. With one job they run in this thread, one after
 * another; with more, each seed runs on a worker thread of its own (tfjs-wasm is single-threaded in
 * Node, so a second core is otherwise idle). A seed depends only on the config and its seed, so the
 * results are the same whatever `jobs` is (timings aside); they come back in seed order.
 */
import { kapriError, type KapriErrorTag } from '../core/errors.js';
import type { ProgressSink } from '../core/progress.js';
import type { KernelModule } from '../kernels/loader.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { Config } from './config.js';
import { runSeed, type SeedResult } from './seedRun.js';

export interface SeedPoolOptions {
  readonly seeds: readonly number[];
  /** Seeds run at once (1: in this thread). */
  readonly jobs: number;
  readonly devices: readonly DeviceProfile[];
  /** The kernels of the in-thread run (workers load their own). */
  readonly kernels: () => Promise<KernelModule>;
  readonly onProgress: ProgressSink;
  /** A user's dataset, the same for every seed (copied to each worker: plain typed arrays). */
  readonly dataset?: ScenarioData;
}

type WorkerMessage =
  | { kind: 'progress'; event: Parameters<ProgressSink>[0] }
  | { kind: 'done'; result: SeedResult }
  | { kind: 'error'; error: { tag: KapriErrorTag; message: string; details: Record<string, unknown> } };

/** The worker entry beside this module: compiled (.js), or the TS source run through tsx in development. */
const workerEntry = (): { url: URL; execArgv: string[] } => {
  const fromTs = import.meta.url.endsWith('.ts');
  return {
    url: new URL(fromTs ? './seedWorker.ts' : './seedWorker.js', import.meta.url),
    execArgv: fromTs ? ['--import', 'tsx'] : [],
  };
};

/** The workers of a run still going: a failure in one stops the others (the run has failed). */
type Live = Set<{ terminate(): Promise<number> }>;

const runInWorker = async (
  c: Config,
  seed: number,
  first: boolean,
  o: SeedPoolOptions,
  live: Live,
): Promise<SeedResult> => {
  const { Worker } = await import('node:worker_threads');
  const entry = workerEntry();
  return new Promise<SeedResult>((resolve, reject) => {
    let settled = false;
    const w = new Worker(entry.url, {
      workerData: { config: c, seed, first, devices: o.devices, dataset: o.dataset },
      execArgv: entry.execArgv,
    });
    live.add(w);
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      live.delete(w);
      f();
      void w.terminate();
    };
    w.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') o.onProgress({ ...m.event, stage: `seed ${seed} · ${m.event.stage}` });
      else if (m.kind === 'done') settle(() => resolve(m.result));
      else settle(() => reject(kapriError(m.error.tag, m.error.message, m.error.details)));
    });
    w.on('error', (e) =>
      settle(() => reject(kapriError('Unsupported', `seed ${seed}: its worker failed (${e.message})`, { seed }))),
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

/** Runs every seed (the first one also deploys); results in seed order. */
export const runSeeds = async (c: Config, o: SeedPoolOptions): Promise<SeedResult[]> => {
  if (!Number.isInteger(o.jobs) || o.jobs < 1 || o.jobs > 64)
    throw kapriError('InvalidArgument', `jobs must be an integer in [1, 64], got ${o.jobs}`);
  if (o.jobs === 1 || o.seeds.length === 1) {
    const kernels = await o.kernels();
    const out: SeedResult[] = [];
    for (const [i, seed] of o.seeds.entries())
      out.push(
        await runSeed(c, {
          seed,
          first: i === 0,
          devices: o.devices,
          kernels,
          onProgress: o.onProgress,
          ...(o.dataset ? { dataset: o.dataset } : {}),
        }),
      );
    return out;
  }
  const out: SeedResult[] = new Array(o.seeds.length);
  const live: Live = new Set();
  let next = 0;
  // `jobs` lanes, each taking the next seed when it finishes one: the first failure stops the run
  // and every other worker (a failed run must not keep training for its report's sake).
  const lane = async (): Promise<void> => {
    while (next < o.seeds.length) {
      const i = next++;
      out[i] = await runInWorker(c, o.seeds[i]!, i === 0, o, live);
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
