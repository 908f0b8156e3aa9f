/**
 * The onnxruntime peer runner of the browser bench page (bench/ortPeerRunner.ts): onnxruntime-web
 * only (onnxruntime-node is native), each run in a fresh dedicated Web Worker
 * (bench/browser/ortWorker.ts, bundled beside the page), since onnxruntime-web fixes its thread count
 * once per realm. Nothing of Node here.
 */
import type { OrtPeer } from '../modelVsOrt.js';
import type { OrtPeerRun, OrtPeerRunner } from '../ortPeerRunner.js';
import type { OrtJob } from '../ortSession.js';
import type { OrtWorkerRequest } from './ortWorker.js';

/**
 * The page's runner. `ortBase` is where bench/browserBench.ts serves onnxruntime-web's files (null
 * when it is not installed: every run then gives `missing` as its reason and no rows).
 */
export const browserOrtPeers = (ortBase: string | null, missing: string): OrtPeerRunner => ({
  peers: ['onnxruntime-web'],
  where:
    'Web Workers of the page (onnxruntime-web from its own files served on the bench origin, a fresh worker per thread count: its thread count is fixed per realm)',
  run: (peer: OrtPeer, threads: number, jobs: readonly OrtJob[]): Promise<OrtPeerRun> => {
    if (peer !== 'onnxruntime-web')
      return Promise.resolve({ ok: false, reason: `${peer} is native: it does not run in a browser` });
    if (ortBase === null) return Promise.resolve({ ok: false, reason: missing });
    const worker = new Worker(new URL('./ortWorker.js', import.meta.url), {
      type: 'module',
      name: `onnxruntime-web ${threads}t`,
    });
    return new Promise<OrtPeerRun>((resolve) => {
      worker.onmessage = (e: MessageEvent<OrtPeerRun>) => resolve(e.data);
      worker.onerror = (e) =>
        resolve({ ok: false, reason: `the onnxruntime-web worker failed: ${e.message || 'it could not load'}` });
      const request: OrtWorkerRequest = { ortBase, threads, jobs };
      worker.postMessage(request);
    }).finally(() => worker.terminate());
  },
});
