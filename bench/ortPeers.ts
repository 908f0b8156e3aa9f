/**
 * The onnxruntime peers of the bench in Node, as the runner the Node bench hands its sections
 * (bench/ortPeerRunner.ts): onnxruntime-web (its WebAssembly build, the peer of a browser app) and
 * onnxruntime-node (native, MLAS), each on one thread and on `threads`. Both are
 * development dependencies, loaded only when present (a user's install of kapri has neither): an
 * absent peer gives no rows and a note, never an estimate.
 * onnxruntime-web fixes its thread count once per realm, so each of its thread counts runs its jobs
 * in a worker thread of its own (bench/ortWebWorker.ts); onnxruntime-node takes the count per
 * session (`intraOpNumThreads`) and runs in this process.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { siblingModule } from '../src/core/siblingModule.js';
import { ORT_PEERS, type OrtPeer } from './modelVsOrt.js';
import type { OrtPeerRun, OrtPeerRunner } from './ortPeerRunner.js';
import {
  benchOrtJob,
  type CheckedSession,
  type OrtApi,
  type OrtJob,
  type OrtJobResult,
  openCheckedSession,
} from './ortSession.js';

const require = createRequire(import.meta.url);

/** Whether a package resolves from here (a development dependency may be absent). */
const installed = (name: string): boolean => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};

/**
 * A worker thread on the module `name` beside this one. Compiled, that is its `.js`; from source
 * (tests), its `.ts` loaded through tsx's API, since a worker given `--import tsx` in its execArgv
 * does not get tsx's loader on Node 20.
 */
const siblingWorker = (name: string, workerData: unknown): Worker => {
  const entry = siblingModule(import.meta.url, name);
  if (entry.execArgv.length === 0) return new Worker(entry.url, { workerData });
  // tsx's ESM build of its API (require.resolve gives the CommonJS one beside it)
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const href = JSON.stringify(entry.url.href);
  return new Worker(`import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${href}, ${href}))`, {
    eval: true,
    workerData,
  });
};

/** Runs jobs in onnxruntime-web on `threads` wasm threads, in a fresh worker thread. */
const runOrtWeb = (threads: number, jobs: readonly OrtJob[]): Promise<OrtPeerRun> => {
  if (!installed('onnxruntime-web')) return Promise.resolve({ ok: false, reason: 'onnxruntime-web is not installed' });
  const worker = siblingWorker('ortWebWorker', { threads, jobs });
  return new Promise<OrtPeerRun>((resolve) => {
    // the worker posts its OrtPeerRun (bench/ortPeerRunner.ts: runOrtWebJobs)
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ ok: false, reason: `onnxruntime-web worker failed: ${e.message}` }));
    worker.once('exit', (code) => resolve({ ok: false, reason: `onnxruntime-web worker exited (${code}) early` }));
  }).finally(() => worker.terminate());
};

/** onnxruntime-node's session options for `threads` intra-op threads, as every row of it uses. */
const ortNodeOptions = (threads: number): Record<string, unknown> => ({
  executionProviders: ['cpu'],
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});

/** Whether onnxruntime-node (a development dependency) is installed. */
export const ortNodeInstalled = (): boolean => installed('onnxruntime-node');

/** Why onnxruntime-node gives no rows here, or null when it is installed. */
const ortNodeAbsent = (): string | null =>
  ortNodeInstalled()
    ? null
    : 'onnxruntime-node is not installed (npm i --no-save onnxruntime-node --onnxruntime-node-install=skip to add it)';

/** Runs jobs in native onnxruntime-node with `intraOpNumThreads` = `threads`, in this process. */
const runOrtNode = async (threads: number, jobs: readonly OrtJob[]): Promise<OrtPeerRun> => {
  const absent = ortNodeAbsent();
  if (absent !== null) return { ok: false, reason: absent };
  const ort = require('onnxruntime-node') as OrtApi;
  const results: OrtJobResult[] = [];
  for (const job of jobs) results.push(await benchOrtJob(ort, job, ortNodeOptions(threads)));
  return { ok: true, results };
};

/**
 * A native onnxruntime-node session on `threads` threads for `job`, checked bit for bit against
 * kapri's outputs (the caller times `session.run(feeds)` and releases it); `fault` when its outputs
 * differ or onnxruntime-node is not installed.
 */
export const ortNodeSession = async (job: Omit<OrtJob, 'measure'>, threads: number): Promise<CheckedSession> => {
  const absent = ortNodeAbsent();
  if (absent !== null) return { ok: false, fault: absent };
  return openCheckedSession(require('onnxruntime-node') as OrtApi, job, ortNodeOptions(threads));
};

/** The runner of the bench in Node: both peers, each thread count of onnxruntime-web in a worker thread of its own. */
export const nodeOrtPeers: OrtPeerRunner = {
  peers: ORT_PEERS,
  where:
    'Node worker threads (onnxruntime-web, one per thread count: its thread count is fixed per realm) and the bench process (onnxruntime-node)',
  run: (peer: OrtPeer, threads: number, jobs: readonly OrtJob[]) =>
    peer === 'onnxruntime-web' ? runOrtWeb(threads, jobs) : runOrtNode(threads, jobs),
};
