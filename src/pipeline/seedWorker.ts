/**
 * The worker-thread entry of a parallel run (seedPool.ts): one seed, with a tfjs instance and kernel
 * module of its own. It posts progress events, then its result or its error as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initTraining } from '../backend/initTraining.js';
import { KapriError } from '../core/errors.js';
import { defaultKernels } from '../kernels/loader.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { Config } from './config.js';
import { runSeed } from './seedRun.js';

interface SeedJob {
  readonly config: Config;
  readonly seed: number;
  readonly first: boolean;
  readonly devices: readonly DeviceProfile[];
  readonly dataset?: ScenarioData;
}

const job = workerData as SeedJob;
const port = parentPort!;
try {
  await initTraining({
    onWarning: (m) => port.postMessage({ kind: 'progress', event: { stage: 'setup', step: 0, total: 0, message: m } }),
  });
  const kernels = await defaultKernels();
  const result = await runSeed(job.config, {
    seed: job.seed,
    first: job.first,
    devices: job.devices,
    kernels,
    onProgress: (event) => port.postMessage({ kind: 'progress', event }),
    ...(job.dataset ? { dataset: job.dataset } : {}),
  });
  port.postMessage({ kind: 'done', result });
} catch (e) {
  const err =
    e instanceof KapriError
      ? { tag: e.tag, message: e.message, details: e.details }
      : { tag: 'Unsupported', message: `seed ${job.seed} failed: ${(e as Error)?.message ?? String(e)}`, details: {} };
  port.postMessage({ kind: 'error', error: JSON.parse(JSON.stringify(err)) });
}
