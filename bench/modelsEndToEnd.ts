/**
 * Whole models end to end against onnxruntime: the hands student and the MobileNet-style model,
 * each exported with `exportOnnx`, run from a float32 input to float32 outputs by kapri's kernel
 * executor (one thread, and a pool of `threads`), by onnxruntime-web's wasm build and by native
 * onnxruntime-node (one thread and `threads` each). Every peer's outputs are checked bit for bit
 * against kapri's before it is timed; a peer that differs is a fault of the run, not a row.
 */
import { createRng } from '../src/core/rng.js';
import { sizeOf } from '../src/core/shape.js';
import { loadKernels } from '../src/kernels/loader.js';
import { createThreadPool } from '../src/kernels/threadPool.js';
import { exportOnnx } from '../src/onnx/exportOnnx.js';
import { createKernelExecutor } from '../src/runtime/kernelExecutor.js';
import type { QModel } from '../src/runtime/qmodelTypes.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { handsStudentQModel } from './handsStudentQModel.js';
import { gops, type MeasureOptions, measureMs } from './measure.js';
import { mobilenetQModel } from './mobilenetQModel.js';
import { kapriImpl, MODEL_OP, modelVsOrtSummary, type ModelVsOrtSummary, ORT_PEERS, ortImpl } from './modelVsOrt.js';
import { runOrtPeer } from './ortPeers.js';
import { bitMismatch, type OrtJob } from './ortSession.js';

/** A model of the section: its row label, the QModel and the batch it runs. */
export interface BenchModel {
  readonly name: string;
  readonly model: QModel;
  readonly batch: number;
}

/** The models of the section: the hands student and the MobileNet-style model, one image a call. */
export const benchModels = async (): Promise<BenchModel[]> => [
  { name: 'hands student', model: await handsStudentQModel(), batch: 1 },
  { name: 'mobilenet-style', model: mobilenetQModel(await loadKernels({ build: 'simd' })), batch: 1 },
];

/** What the section measured. */
export interface ModelsBenchResult {
  readonly cases: BenchCase[];
  readonly summary: ModelVsOrtSummary;
  readonly notes: string[];
  /** Peers whose outputs differed from kapri's: faults of the run (summary.validity). */
  readonly faults: string[];
}

/** Options beyond the bench's: the models (default {@link benchModels}). */
export interface ModelsBenchOptions extends BenchOptions {
  readonly models?: readonly BenchModel[];
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
  const models = opts.models ?? (await benchModels());
  const cases: BenchCase[] = [];
  const notes: string[] = [];
  const faults: string[] = [];
  const single = await loadKernels({ build: 'simd' });
  const threaded = opts.threads > 1 ? await loadKernels({ build: 'threads' }).catch(() => null) : null;
  const pool = threaded ? await createThreadPool(threaded, opts.threads) : null;
  const threadCounts = pool ? [1, opts.threads] : [1];
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
          cases.push({
            op: MODEL_OP,
            shape,
            impl: kapriImpl(opts.threads),
            msMedian: await measureMs(() => exeN.run(input.data, m.batch), measure),
            gops: 0,
          });
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
  // every row's GOPS from the model's MACs (2 ops per MAC)
  const opsOf = new Map(models.map((m) => [shapeOf(m), 2 * m.model.cost.macs * m.batch]));
  for (const peer of ORT_PEERS) {
    for (const threads of threadCounts) {
      opts.log(`models: ${peer}, ${threads} thread(s)`);
      const run = await runOrtPeer(peer, threads, jobs);
      if (!run.ok) {
        notes.push(`${ortImpl(peer, threads)}: no rows: ${run.reason}`);
        continue;
      }
      for (const r of run.results) {
        if (r.ok)
          cases.push({ op: MODEL_OP, shape: r.label, impl: ortImpl(peer, threads), msMedian: r.msMedian, gops: 0 });
        else
          faults.push(`${r.label} ${ortImpl(peer, threads)}: not timed, its outputs differ from kapri's: ${r.fault}`);
      }
    }
  }
  const withGops = cases.map((c) => ({ ...c, gops: gops(opsOf.get(c.shape)!, c.msMedian) }));
  if (!pool)
    notes.push(
      `models: ${opts.threads > 1 ? 'the threads build could not load here' : '--threads 1'}: one-thread rows only`,
    );
  notes.push(
    `models (op ${MODEL_OP}): float32 input to float32 outputs, the exported ONNX graph in onnxruntime (session.run with its tensors read back) against kapri's kernel executor; peers' outputs bit-identical to kapri's before timing; the hands student has the default preset's architecture with seeded weights (training changes no op or shape); onnxruntime-web runs in Node worker threads (its thread count is fixed per realm)`,
  );
  return { cases: withGops, summary: modelVsOrtSummary(withGops, opts.threads), notes, faults };
};
