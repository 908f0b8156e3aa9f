/**
 * The worker-thread entry of a parallel `kapri target` (runTarget.ts): one seed, with a tfjs instance
 * and kernel module of its own. The saved files are judged again here (cheap, and a worker holds no
 * state of its parent); it posts progress events, then its result or its error as plain data.
 */
import * as E from 'fp-ts/lib/Either.js';
import { workerData } from 'node:worker_threads';
import { initTraining } from '../backend/initTraining.js';
import { defaultKernels } from '../kernels/loader.js';
import { checkTargetRun, runTargetSeed, type TargetSeedJob } from './runTarget.js';
import { serveSeedJob } from './seedLanes.js';

const job = workerData as TargetSeedJob;
await serveSeedJob(job.seed, async (onProgress) => {
  await initTraining({ onWarning: (message) => onProgress({ stage: 'setup', step: 0, total: 0, message }) });
  const judged = checkTargetRun(job.input);
  if (E.isLeft(judged)) throw judged.left;
  return runTargetSeed(job.input, judged.right, job.seed, job.first, await defaultKernels(), onProgress);
});
