/**
 * Whole models end to end against onnxruntime: the models given (the bench's are the hands student
 * and the MobileNet-style model, bench/endToEndModels.ts), each exported with `exportOnnx`, run from
 * a float32 input to float32 outputs by kapri's kernel executor (one thread, and a pool of `threads`)
 * and by the peers of the runner given (bench/ortPeerRunner.ts; in Node onnxruntime-web's wasm build
 * and native onnxruntime-node, in a browser page onnxruntime-web), one thread and `threads` each.
 * Every peer's outputs are checked bit for bit against kapri's before it is timed; a peer that
 * differs is a fault of the run, not a row. Nothing of Node here: a browser page runs it as it is.
 */
import { createRng } from '../src/core/rng.js';
import { sizeOf } from '../src/core/shape.js';
import { type KernelModule, loadKernels } from '../src/kernels/loader.js';
import { createThreadPool, type ThreadPool } from '../src/kernels/threadPool.js';
import { exportOnnx } from '../src/onnx/exportOnnx.js';
import { createKernelExecutor } from '../src/runtime/kernelExecutor.js';
import type { QModel } from '../src/runtime/qmodelTypes.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { gops, type MeasureOptions, measureMs } from './measure.js';
import { kapriImpl, MODEL_OP, modelVsOrtSummary, type ModelVsOrtSummary } from './modelVsOrt.js';
import { type OrtPeerRunner, runPeers } from './ortPeerRunner.js';
import { bitMismatch, type OrtJob } from './ortSession.js';

/** A model of the section: its row label, the QModel and the batch it runs. */
export interface BenchModel {
  readonly name: string;
  readonly model: QModel;
  readonly batch: number;
}

/** What the section measured. */
export interface ModelsBenchResult {
  readonly cases: BenchCase[];
  readonly summary: ModelVsOrtSummary;
  readonly notes: string[];
  /** Peers whose outputs differed from kapri's: faults of the run (summary.validity). */
  readonly faults: string[];
}

/** Options beyond the bench's: the models, and where the peers run. */
export interface ModelsBenchOptions extends BenchOptions {
  /** The bench's are `benchModels()` of bench/endToEndModels.ts. */
  readonly models: readonly BenchModel[];
  /** Node: `nodeOrtPeers` (bench/ortPeers.ts); a browser page: its Web Worker runner. */
  readonly peers: OrtPeerRunner;
}

const shapeOf = (m: BenchModel): string => {
  const inShape = m.model.header.tensors.find((t) => t.name === m.model.header.inputs[0])!.shape;
  return `${m.name} ${[m.batch, ...inShape].join('x')}`;
};

/** A seeded input of a model: uniform on [0, 1), as the images the models take. */
const inputOf = (m: BenchModel): { data: Float32Array; dims: number[] } => {
  const inShape = m.model.header.tensors.find((t) => t.name === m.model.header.inputs[0])!.shape;
  const rng = createRng(5);
  return {
    data: Float32Array.from({ length: sizeOf(inShape) * m.batch }, () => rng.uniform()),
    dims: [m.batch, ...inShape],
  };
};

/** Runs the section (see the file comment). */
export const benchModelsEndToEnd = async (opts: ModelsBenchOptions): Promise<ModelsBenchResult> => {
  // time-based warm-up: onnxruntime-web's wasm runs its baseline tier for the first seconds
  const measure: MeasureOptions = {
    reps: opts.quick ? 5 : 30,
    maxMs: opts.quick ? 1000 : 5000,
    warmupMs: opts.quick ? 1000 : 3000,
  };
  const models = opts.models;
  const cases: BenchCase[] = [];
  const notes: string[] = [];
  const faults: string[] = [];
  const single = await loadKernels({ build: 'simd' });
  // kapri's pool: why there is none, when there is none
  let threaded: KernelModule | null = null;
  let pool: ThreadPool | null = null;
  let noPool = '--threads 1';
  if (opts.threads > 1) {
    try {
      threaded = await loadKernels({ build: 'threads' });
      pool = await createThreadPool(threaded, opts.threads);
    } catch (e) {
      noPool = `kapri's threads build or its pool could not start here (${(e as Error).message})`;
    }
  }
  const jobs: OrtJob[] = [];
  try {
    for (const m of models) {
      const shape = shapeOf(m);
      const ops = 2 * m.model.cost.macs * m.batch;
      opts.log(`models: ${shape}: kapri`);
      const input = inputOf(m);
      const exe1 = createKernelExecutor(m.model, single);
      const expected = exe1.run(input.data, m.batch);
      try {
        cases.push({
          op: MODEL_OP,
          shape,
          impl: kapriImpl(1),
          msMedian: await measureMs(() => exe1.run(input.data, m.batch), measure),
          gops: 0,
        });
      } finally {
        exe1.dispose();
      }
      if (pool && threaded) {
        const exeN = createKernelExecutor(m.model, threaded, { runner: pool });
        try {
          const got = exeN.run(input.data, m.batch);
          for (const [k, v] of Object.entries(expected)) {
            const fault = bitMismatch(k, v, got[k]);
            if (fault !== null) faults.push(`${shape} ${kapriImpl(opts.threads)} against one thread: ${fault}`);
          }
          let runs = 0;
          const splitsBefore = pool.splitCalls;
          cases.push({
            op: MODEL_OP,
            shape,
            impl: kapriImpl(opts.threads),
            msMedian: await measureMs(() => {
              runs++;
              return exeN.run(input.data, m.batch);
            }, measure),
            gops: 0,
          });
          notes.push(
            `${shape} on kapri's pool: ${((pool.splitCalls - splitsBefore) / runs).toFixed(1)} split kernel calls per inference (hand-off to its warm workers ${(pool.handoffMs * 1000).toFixed(1)} µs)`,
          );
        } finally {
          exeN.dispose();
        }
      }
      jobs.push({
        label: shape,
        bytes: exportOnnx(m.model),
        input: { name: m.model.header.inputs[0]!, data: input.data, dims: input.dims },
        expected,
        measure,
      });
      notes.push(`${shape}: ${(ops / 2 / 1e6).toFixed(2)} M multiply-accumulates per call`);
    }
  } finally {
    await pool?.dispose();
  }
  const peers = await runPeers(opts.peers, opts.threads > 1 ? [1, opts.threads] : [1], jobs, 'models', opts.log);
  for (const r of peers.rows) cases.push({ op: MODEL_OP, shape: r.label, impl: r.impl, msMedian: r.msMedian, gops: 0 });
  faults.push(...peers.faults);
  notes.push(...peers.notes);
  // every row's GOPS from the model's MACs (2 ops per MAC)
  const opsOf = new Map(models.map((m) => [shapeOf(m), 2 * m.model.cost.macs * m.batch]));
  const withGops = cases.map((c) => ({ ...c, gops: gops(opsOf.get(c.shape)!, c.msMedian) }));
  if (!pool)
    notes.push(
      `models: ${noPool}: kapri has one-thread rows only, so the pooled ratios (modelVsOrt*Pooled) are null and the headline ones are on one thread`,
    );
  notes.push(
    `models (op ${MODEL_OP}): float32 input to float32 outputs, the exported ONNX graph in onnxruntime (session.run with its tensors read back) against kapri's kernel executor; peers' outputs bit-identical to kapri's before timing; the hands student has the default preset's architecture with seeded weights (training changes no op or shape); the peers run in ${opts.peers.where}`,
  );
  return { cases: withGops, summary: modelVsOrtSummary(withGops, opts.threads), notes, faults };
};
