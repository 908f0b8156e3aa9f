/**
 * A Web Worker of the browser bench page that runs onnxruntime-web jobs on one thread count
 * (bench/browser/ortWebWorkers.ts starts one per thread count and receives the {@link OrtPeerRun}
 * posted here): onnxruntime-web fixes its thread count once per realm. Bundled on its own by
 * scripts/bundle-bench.mjs to dist/bench/browser/ortWorker.js. onnxruntime-web is not bundled: it is
 * imported from its own files, which bench/browserBench.ts serves at `ortBase` on the bench's
 * loopback origin (so nothing is fetched from the network), and its wasm comes from there too
 * (`env.wasm.wasmPaths`). Its threaded build starts its threads as module workers named
 * `em-pthread`; this worker counts them, so that a thread count that did not take effect gives no rows.
 */
import { type OrtPeerRun, type OrtWebApi, runOrtWebJobs } from '../ortPeerRunner.js';
import type { OrtJob } from '../ortSession.js';

/** What the page posts to the worker. */
export interface OrtWorkerRequest {
  /** Where onnxruntime-web's dist files are served, ending in `/`: `http://127.0.0.1:PORT/ort/`. */
  readonly ortBase: string;
  readonly threads: number;
  readonly jobs: readonly OrtJob[];
}

/** How long onnxruntime-web may take to initialise its wasm (and start its threads) before it fails. */
const INIT_TIMEOUT_MS = 120_000;

interface WorkerScope {
  Worker: typeof Worker;
  onmessage: ((e: MessageEvent<OrtWorkerRequest>) => void) | null;
  postMessage(message: OrtPeerRun): void;
}
const scope = globalThis as unknown as WorkerScope;

// count the pthread workers onnxruntime-web's threaded build starts (before it is imported)
let pthreads = 0;
const NativeWorker = scope.Worker;
scope.Worker = class extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    if (options?.name === 'em-pthread') pthreads++;
  }
};

scope.onmessage = async (e) => {
  const { ortBase, threads, jobs } = e.data;
  const load = async (): Promise<OrtWebApi> => {
    const url = `${ortBase}ort.wasm.min.mjs`;
    const ort = (await import(/* @vite-ignore */ url)) as OrtWebApi;
    ort.env.wasm.wasmPaths = ortBase;
    ort.env.wasm.initTimeout = INIT_TIMEOUT_MS;
    return ort;
  };
  scope.postMessage(await runOrtWebJobs(load, threads, jobs, () => pthreads));
};
