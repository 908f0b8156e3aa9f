/**
 * Whole-model inference on the kernels: the `hands` student of the default preset (32×32×3 RGB,
 * width 8, depth 2, 63 outputs) as bench/handsStudentQModel.ts exports it (seeded weights calibrated
 * on hands images, the model the end-to-end rows run), run by the kernel executor on one thread and
 * on a pool, back to back and after an idle gap before each call (how an app serving requests or
 * frames calls). The op sequence, shapes and kernel calls are a trained model's, and so is the time.
 */
import { loadKernels } from '../src/kernels/loader.js';
import { createThreadPool } from '../src/kernels/threadPool.js';
import { exportOnnx } from '../src/onnx/exportOnnx.js';
import { createKernelExecutor } from '../src/runtime/kernelExecutor.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { HANDS_INPUT, handsStudentQModel } from './handsStudentQModel.js';
import { IDLE_GAP_MS } from './kernelsInt8.js';
import { measureMs, measurePairMs } from './measure.js';
import { ortNodeInstalled, ortNodeSession } from './ortPeers.js';
import type { OrtJob } from './ortSession.js';

/** What the whole-model section measured. */
export interface ModelInferenceResult {
  readonly cases: BenchCase[];
  /** One-thread ms / pool ms back to back; null when no pool ran. */
  readonly scaling: number | null;
  /** The same with the idle gap before each call. */
  readonly scalingIdleGap: number | null;
  /** onnxruntime-node's one-thread ms / its `threads`-thread ms on the same model, back to back; null when not run. */
  readonly peerScaling: number | null;
  /** The same with the idle gap before each call. */
  readonly peerScalingIdleGap: number | null;
  /** Outputs of the peer that differed from kapri's (not timed): faults of the run. */
  readonly faults: string[];
  readonly notes: string[];
}

const SHAPE = HANDS_INPUT;

/** The section's result without peer rows. */
const kapriOnly = (
  cases: BenchCase[],
  scaling: number | null,
  scalingIdleGap: number | null,
  notes: string[],
): ModelInferenceResult => ({
  cases,
  scaling,
  scalingIdleGap,
  peerScaling: null,
  peerScalingIdleGap: null,
  faults: [],
  notes,
});

type PeerPairs =
  | { ok: true; one: number; many: number; oneIdle: number; manyIdle: number }
  | { ok: false; fault: string };

/**
 * onnxruntime-node (installed) on 1 and `threads` threads, each checked against kapri's bits, timed
 * in alternation in both patterns.
 */
const peerPairs = async (
  job: Omit<OrtJob, 'measure'>,
  threads: number,
  reps: number,
  idleReps: number,
  quick: boolean,
): Promise<PeerPairs> => {
  const one = await ortNodeSession(job, 1);
  if (!one.ok) return one;
  try {
    const many = await ortNodeSession(job, threads);
    if (!many.ok) return many;
    try {
      const a = () => one.session.run(one.feeds);
      const b = () => many.session.run(many.feeds);
      const [oneMs, manyMs] = await measurePairMs(a, b, { reps, warmup: 5, warmupMs: quick ? 200 : 1000 });
      const [oneIdle, manyIdle] = await measurePairMs(a, b, { reps: idleReps, warmup: 5, idleGapMs: IDLE_GAP_MS });
      return { ok: true, one: oneMs, many: manyMs, oneIdle, manyIdle };
    } finally {
      await many.session.release();
    }
  } finally {
    await one.session.release();
  }
};

/** Runs the section (the model export initialises the tfjs training backend it needs). */
export const benchModelInference = async (opts: BenchOptions): Promise<ModelInferenceResult> => {
  opts.log('model inference: hands student');
  const model = await handsStudentQModel();
  const reps = opts.quick ? 9 : 41;
  // After the idle one thread's inferences spread over 0.2-0.6 ms (stop 35, 201 in a script run:
  // 15 under 0.3 ms, 58 under 0.4, 118 under 0.5, 10 above), and with medians of 31 the full runs'
  // idle ratio moved over 0.83-1.03, more than the pool's own cost there: 101 pairs (~12 s a side)
  const idleReps = opts.quick ? 5 : 101;
  const input = Float32Array.from({ length: SHAPE[0] * SHAPE[1] * SHAPE[2] }, (_, i) => Math.sin(i * 0.37));
  const single = await loadKernels({ build: 'simd' });
  const threaded = opts.threads > 1 ? await loadKernels({ build: 'threads' }).catch(() => null) : null;
  const pool = threaded ? await createThreadPool(threaded, opts.threads) : null;
  const cases: BenchCase[] = [];
  const shape = `hands student ${SHAPE.join('x')} (width 8, depth 2)`;
  const row = (impl: string, ms: number): BenchCase => ({ op: 'model_inference', shape, impl, msMedian: ms, gops: 0 });
  const idle = `-idle${IDLE_GAP_MS}ms`;
  try {
    const one = createKernelExecutor(model, single);
    if (!pool || !threaded) {
      const oneMs = await measureMs(() => one.run(input), { reps, warmup: 5 });
      const oneIdleMs = await measureMs(() => one.run(input), { reps: idleReps, idleGapMs: IDLE_GAP_MS, warmup: 5 });
      one.dispose();
      cases.push(row('kapri-int8-1t', oneMs), row(`kapri-int8-1t${idle}`, oneIdleMs));
      return kapriOnly(cases, null, null, ['model inference: no pool, no multi-thread rows']);
    }
    // One thread and the pool in alternation, in each pattern: a 0.2 ms inference after a 60 ms idle
    // varied 0.48-0.71 ms between blocks on one thread alone (stop 31), more than the pool's effect.
    const many = createKernelExecutor(model, threaded, { runner: pool });
    // Warm-up in each pattern long enough for the pool to choose its modes (modeChoice.ts: four
    // blocks of four bursts) and, back to back, for the engine to have compiled the worker's loop:
    // a fresh pool's worker missed its chunk in streaks of 2-3 ms for its first ~130 ms (stop 33).
    // and how many kernel calls a pooled inference split, per pattern (all of them, warm-up included)
    const pair = async (idleGapMs: number, n: number, warmup: number, warmupMs: number) => {
      let runs = 0;
      const before = pool.splitCalls;
      const ms = await measurePairMs(
        () => one.run(input),
        () => {
          runs++;
          return many.run(input);
        },
        { reps: n, warmup, warmupMs, idleGapMs },
      );
      return [...ms, (pool.splitCalls - before) / runs] as const;
    };
    const [oneMs, manyMs, splits] = await pair(0, reps, 5, opts.quick ? 200 : 1000);
    const [oneIdleMs, manyIdleMs, splitsIdle] = await pair(IDLE_GAP_MS, idleReps, opts.quick ? 5 : 20, 0);
    const expected = one.run(input);
    one.dispose();
    many.dispose();
    cases.push(row('kapri-int8-1t', oneMs), row(`kapri-int8-1t${idle}`, oneIdleMs));
    const t = opts.threads;
    cases.push(row(`kapri-int8-${t}t`, manyMs), row(`kapri-int8-${t}t${idle}`, manyIdleMs));
    const notes = [
      `model inference (${shape}, one sample per call): 1 thread / ${t} threads = ${(oneMs / manyMs).toFixed(2)}× back to back, ${(oneIdleMs / manyIdleMs).toFixed(2)}× with a ${IDLE_GAP_MS} ms idle gap before each call (one thread and the pool timed in alternation); the pool split ${splits.toFixed(1)} and ${splitsIdle.toFixed(1)} kernel calls per inference`,
    ];
    // The native peer's own 1 vs t threads on the same model in the same two patterns: whether a
    // runtime with its own spinning thread pool gains from the second thread after the idle here.
    const job = {
      label: `model_inference ${shape}`,
      bytes: exportOnnx(model),
      input: { name: model.header.inputs[0]!, data: input, dims: [1, ...SHAPE] },
      expected,
    };
    if (!ortNodeInstalled()) {
      notes.push('model inference: no onnxruntime-node rows (onnxruntime-node is not installed)');
      return kapriOnly(cases, oneMs / manyMs, oneIdleMs / manyIdleMs, notes);
    }
    const peer = await peerPairs(job, t, reps, idleReps, opts.quick);
    if (!peer.ok)
      return {
        ...kapriOnly(cases, oneMs / manyMs, oneIdleMs / manyIdleMs, notes),
        faults: [`${job.label} onnxruntime-node: ${peer.fault}`],
      };
    const ort = (threads: number, suffix = '') => `onnxruntime-node-int8-${threads}t${suffix}`;
    cases.push(
      row(ort(1), peer.one),
      row(ort(t), peer.many),
      row(ort(1, idle), peer.oneIdle),
      row(ort(t, idle), peer.manyIdle),
    );
    notes.push(
      `model inference, onnxruntime-node (native, intraOpNumThreads 1 and ${t}, outputs bit-identical to kapri's) on the same model: 1 thread / ${t} threads = ${(peer.one / peer.many).toFixed(2)}× back to back, ${(peer.oneIdle / peer.manyIdle).toFixed(2)}× with the ${IDLE_GAP_MS} ms idle gap (its two sessions timed in alternation)`,
    );
    return {
      ...kapriOnly(cases, oneMs / manyMs, oneIdleMs / manyIdleMs, notes),
      peerScaling: peer.one / peer.many,
      peerScalingIdleGap: peer.oneIdle / peer.manyIdle,
    };
  } finally {
    await pool?.dispose();
  }
};
