/**
 * The worker-thread entry of a parallel run (seedPool.ts): one seed, with a tfjs instance and kernel
 * module of its own. It posts progress events, then its result or its error as plain data.
 */
import { workerData } from 'node:worker_threads';
import { initTraining } from '../backend/initTraining.js';
import { defaultKernels } from '../kernels/loader.js';
import { serveSeedJob } from './seedLanes.js';
import type { SeedJob } from './seedPool.js';
import { runSeed } from './seedRun.js';

const job = workerData as SeedJob;
await serveSeedJob(job.seed, async (onProgress) => {
  await initTraining({ onWarning: (message) => onProgress({ stage: 'setup', step: 0, total: 0, message }) });
  return runSeed(job.config, {
    seed: job.seed,
    first: job.first,
    devices: job.devices,
    kernels: await defaultKernels(),
    onProgress,
    ...(job.dataset ? { dataset: job.dataset } : {}),
  });
});
