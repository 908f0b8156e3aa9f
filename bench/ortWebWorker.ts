/**
 * A worker thread that runs onnxruntime-web jobs on a thread count of its own. onnxruntime-web fixes
 * its wasm thread count when its module first initialises, once per JavaScript realm, so each
 * thread count the bench compares gets a fresh worker (bench/ortPeers.ts starts it). With more
 * than one thread, onnxruntime-web runs its threaded wasm build on worker_threads of its own.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { benchOrtJob, type OrtApi, type OrtJob } from './ortSession.js';

interface OrtWebWorkerData {
  readonly threads: number;
  readonly jobs: readonly OrtJob[];
}

const { threads, jobs } = workerData as OrtWebWorkerData;
try {
  const ort = createRequire(import.meta.url)('onnxruntime-web') as OrtApi & { env: { wasm: { numThreads: number } } };
  ort.env.wasm.numThreads = threads;
  const results = [];
  for (const job of jobs) results.push(await benchOrtJob(ort, job, { executionProviders: ['wasm'] }));
  parentPort!.postMessage({ results, numThreads: ort.env.wasm.numThreads });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
