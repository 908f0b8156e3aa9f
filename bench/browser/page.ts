/**
 * The page side of `kapri bench --browser` (bundled by scripts/bundle-bench.mjs to
 * dist/bench/browser/page.js, served by bench/browserBench.ts): exposes `kapriBrowserBench(options)`,
 * which runs the browser sections and returns what they measured; progress goes to the console.
 * The sections: kapri's relaxed and baseline int8 kernels side by side, onnxruntime-web on the same
 * kernel shapes (one-node models), and whole models in kapri's kernel executor and onnxruntime-web,
 * with the onnxruntime sections of the Node bench run as they are, on the page's Web Worker runner.
 */
import { unwrap } from '../../src/core/errors.js';
import { detectCapabilities } from '../../src/kernels/capabilities.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { benchInt8Relaxed, RELAXED_SHAPES, type RelaxedBenchResult } from '../kernelsInt8Relaxed.js';
import { benchOrtKernels, type OrtKernelResult } from '../kernelsOrt.js';
import { type BenchModel, benchModelsEndToEnd, type ModelsBenchResult } from '../modelsEndToEnd.js';
import { browserOrtPeers } from './ortWebWorkers.js';

/** A model the page fetches from the bench server (its QModel bytes, built in Node). */
export interface PageModel {
  readonly name: string;
  readonly batch: number;
  readonly url: string;
}

/** What Node asks of the page. */
export interface BrowserBenchRequest {
  readonly quick: boolean;
  /** The multi-thread count of the onnxruntime-web rows and of kapri's pool in the model rows. */
  readonly threads: number;
  /** Where onnxruntime-web's files are served (ending in `/`), or null when it is not installed. */
  readonly ortBase: string | null;
  /** Why there is no onnxruntime-web, when `ortBase` is null. */
  readonly ortMissing: string;
  readonly models: readonly PageModel[];
}

/** What the page hands back to Node. */
export interface BrowserBenchPart {
  readonly int8: RelaxedBenchResult;
  /** onnxruntime-web rows of the kernel shapes of `int8`. */
  readonly ortKernels: OrtKernelResult;
  readonly models: ModelsBenchResult;
  readonly cores: number;
  readonly crossOriginIsolated: boolean;
  readonly relaxedDotAdd: boolean;
}

const fetchModel = async (m: PageModel): Promise<BenchModel> => {
  const res = await fetch(m.url);
  if (!res.ok) throw new Error(`the bench model ${m.url} could not be fetched (${res.status})`);
  return { name: m.name, batch: m.batch, model: unwrap(decodeQModel(new Uint8Array(await res.arrayBuffer()), m.url)) };
};

(globalThis as { kapriBrowserBench?: unknown }).kapriBrowserBench = async (
  o: BrowserBenchRequest,
): Promise<BrowserBenchPart> => {
  const caps = await detectCapabilities();
  const opts = { quick: o.quick, threads: o.threads, log: (l: string) => console.log(`bench: ${l}`) };
  const int8 = await benchInt8Relaxed(opts);
  const peers = browserOrtPeers(o.ortBase, o.ortMissing);
  const ortKernels = await benchOrtKernels({ ...opts, peers, shapes: RELAXED_SHAPES });
  const models = await benchModelsEndToEnd({ ...opts, peers, models: await Promise.all(o.models.map(fetchModel)) });
  return {
    int8,
    ortKernels,
    models,
    cores: caps.hardwareConcurrency,
    crossOriginIsolated: caps.threads.crossOriginIsolated === true,
    relaxedDotAdd: caps.relaxedSimd.dotI8I7Add,
  };
};
