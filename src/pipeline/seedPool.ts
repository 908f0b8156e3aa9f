/**
 * Runs the seeds of a pipeline run, `jobs` at a time (seedLanes.ts): in this thread with one job,
 * else each seed on a worker thread of its own (seedWorker.ts) with a tfjs instance and kernels of
 * its own. A seed depends only on the config and its seed, so the results are the same whatever
 * `jobs` is (timings aside); they come back in seed order.
 */
import type { ProgressSink } from '../core/progress.js';
import type { KernelModule } from '../kernels/loader.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { Config } from './config.js';
import { runSeedLanes } from './seedLanes.js';
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
  /** The JavaScript heap each seed's worker may grow to, MiB (default seedLanes.ts JOB_HEAP_LIMIT_MB). */
  readonly heapLimitMb?: number;
}

/** What seedWorker.ts receives. */
export interface SeedJob {
  readonly config: Config;
  readonly seed: number;
  readonly first: boolean;
  readonly devices: readonly DeviceProfile[];
  readonly dataset?: ScenarioData;
}

/** Runs every seed (the first one also deploys); results in seed order. */
export const runSeeds = async (c: Config, o: SeedPoolOptions): Promise<SeedResult[]> => {
  let kernels: Promise<KernelModule> | null = null;
  return runSeedLanes<SeedResult>({
    seeds: o.seeds,
    jobs: o.jobs,
    onProgress: o.onProgress,
    ...(o.heapLimitMb !== undefined ? { heapLimitMb: o.heapLimitMb } : {}),
    here: async (seed, first) => {
      kernels ??= o.kernels();
      return runSeed(c, {
        seed,
        first,
        devices: o.devices,
        kernels: await kernels,
        onProgress: o.onProgress,
        ...(o.dataset ? { dataset: o.dataset } : {}),
      });
    },
    worker: {
      entry: 'seedWorker',
      data: (seed, first): SeedJob => ({ config: c, seed, first, devices: o.devices, dataset: o.dataset }),
    },
  });
};
