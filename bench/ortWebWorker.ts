/**
 * A worker thread that runs onnxruntime-web jobs on a thread count of its own. onnxruntime-web fixes
 * its wasm thread count when its module first initialises, once per JavaScript realm, so each
 * thread count the bench compares gets a fresh worker (bench/ortPeers.ts starts it and receives the
 * {@link OrtPeerRun} posted here). With more than one thread, onnxruntime-web runs its threaded wasm
 * build on worker_threads of its own.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { type OrtPeerRun, type OrtWebApi, runOrtWebJobs } from './ortPeerRunner.js';
import type { OrtJob } from './ortSession.js';

interface OrtWebWorkerData {
  readonly threads: number;
  readonly jobs: readonly OrtJob[];
}

const { threads, jobs } = workerData as OrtWebWorkerData;
const run: OrtPeerRun = await runOrtWebJobs(
  () => createRequire(import.meta.url)('onnxruntime-web') as OrtWebApi,
  threads,
  jobs,
);
parentPort!.postMessage(run);
