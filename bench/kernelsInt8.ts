/**
 * The int8 kernel microbenchmarks of the kernel issue: each conv, depthwise, conv1d and GEMM
 * shape run by kapri int8 on one thread and on a pool, kapri int4, tfjs-wasm float32 on the same
 * op and shape, and the JS reference on the small shapes, side by side in this process; plus the
 * int8 roofline (bench/int8Roofline.ts), and every kapri row again after an idle gap. Kapri's timed body includes the per-call input widening.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../src/backend/initTraining.js';
import { createRng } from '../src/core/rng.js';
import type { ConvGeometry } from '../src/kernels/convGeometry.js';
import { loadKernels, type KernelModule } from '../src/kernels/loader.js';
import type { Region } from '../src/kernels/arena.js';
import { serialRunner, type Runner } from '../src/kernels/parallel.js';
import { disposeQs8Conv2d, planQs8Conv2d, runQs8Conv2dAt, type Qs8ConvSpec } from '../src/kernels/qs8Conv.js';
import { disposeQs8Depthwise, planQs8Depthwise, runQs8DepthwiseAt } from '../src/kernels/qs8Depthwise.js';
import { refQs8Conv2d } from '../src/kernels/reference/qs8Conv.js';
import { refQs8Depthwise } from '../src/kernels/reference/qs8Depthwise.js';
import { createThreadPool, type ThreadPool } from '../src/kernels/threadPool.js';
import { costFeatures, type KernelKind } from '../src/resource/kernelCostModel.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { geomean, gops, measureMs, measurePairMs, median } from './measure.js';
import { combineRooflineProbes, measureInt8Roofline, type RooflineVariant } from './int8Roofline.js';

type Kind = 'conv2d' | 'depthwise' | 'conv1d' | 'gemm';

interface Shape {
  readonly op: string;
  readonly label: string;
  readonly kind: Kind;
  readonly geometry: ConvGeometry;
  readonly cout: number;
  /** Counts in the roofline fraction (the 3×3 convs). */
  readonly threeByThree: boolean;
  /** Small enough for the JS reference. */
  readonly jsRef: boolean;
}

const g = (
  inShape: [number, number, number, number],
  kernel: [number, number],
  stride: [number, number] = [1, 1],
  padding: 'same' | 'valid' = 'same',
): ConvGeometry => ({
  inShape,
  kernel,
  stride,
  dilation: [1, 1],
  padding,
});

/** The shapes of the kernel issue. */
export const INT8_SHAPES: readonly Shape[] = [
  {
    op: 'qs8_conv2d_3x3',
    label: '8x32x32x32->64',
    kind: 'conv2d',
    geometry: g([8, 32, 32, 32], [3, 3]),
    cout: 64,
    threeByThree: true,
    jsRef: false,
  },
  {
    op: 'qs8_conv2d_3x3',
    label: '8x32x32x64->64',
    kind: 'conv2d',
    geometry: g([8, 32, 32, 64], [3, 3]),
    cout: 64,
    threeByThree: true,
    jsRef: false,
  },
  {
    op: 'qs8_conv2d_3x3',
    label: '1x16x16x128->128',
    kind: 'conv2d',
    geometry: g([1, 16, 16, 128], [3, 3]),
    cout: 128,
    threeByThree: true,
    jsRef: true,
  },
  {
    op: 'qs8_conv2d_1x1',
    label: '1x32x32x64->128',
    kind: 'conv2d',
    geometry: g([1, 32, 32, 64], [1, 1]),
    cout: 128,
    threeByThree: false,
    jsRef: true,
  },
  {
    op: 'qs8_depthwise_3x3',
    label: '1x32x32x64',
    kind: 'depthwise',
    geometry: g([1, 32, 32, 64], [3, 3]),
    cout: 64,
    threeByThree: false,
    jsRef: true,
  },
  {
    op: 'qs8_conv1d',
    label: '8x512x28->64 k32 s8',
    kind: 'conv1d',
    geometry: g([8, 1, 512, 28], [1, 32], [1, 8]),
    cout: 64,
    threeByThree: false,
    jsRef: true,
  },
  {
    op: 'qs8_gemm',
    label: '256x512x512',
    kind: 'gemm',
    geometry: g([1, 1, 256, 512], [1, 1], [1, 1], 'valid'),
    cout: 512,
    threeByThree: false,
    jsRef: false,
  },
];

/** The kernel a bench shape runs on (conv1d and GEMM are convs). */
export const kernelKind = (s: Shape): KernelKind => (s.kind === 'depthwise' ? 'depthwise' : 'conv2d');

export const macsOf = (s: Shape): number => costFeatures(s.geometry, s.cout, kernelKind(s))[0];

export const randomSpec = (s: Shape, int4: boolean): Qs8ConvSpec => {
  const rng = createRng(7);
  const [kh, kw] = s.geometry.kernel;
  const cin = s.geometry.inShape[3];
  const wn = s.kind === 'depthwise' ? kh * kw * cin : kh * kw * cin * s.cout;
  const lim = int4 ? 8 : 127;
  return {
    ...s.geometry,
    cout: s.cout,
    weights: Int8Array.from({ length: wn }, () => rng.int(2 * lim) - lim + (int4 ? 0 : 1)),
    bias: Int32Array.from({ length: s.cout }, () => rng.int(2001) - 1000),
    multipliers: new Float32Array(s.cout).fill(1 / (90 * Math.sqrt(kh * kw * cin))),
    xZeroPoint: 3,
    yZeroPoint: -2,
    int4,
  };
};

/** A planned kernel: its buffer sizes, packed bytes, one run between regions, and its disposal. */
export interface Planned {
  readonly inBytes: number;
  readonly outBytes: number;
  readonly packedBytes: number;
  run(x: Region, y: Region): void;
  dispose(): void;
}

export const planned = (k: KernelModule, s: Shape, spec: Qs8ConvSpec, runner: Runner): Planned => {
  if (s.kind === 'depthwise') {
    const p = planQs8Depthwise(k, spec);
    return { ...p, run: (x, y) => runQs8DepthwiseAt(k, p, x, y, runner), dispose: () => disposeQs8Depthwise(k, p) };
  }
  const p = planQs8Conv2d(k, spec);
  return { ...p, run: (x, y) => runQs8Conv2dAt(k, p, x, y, runner), dispose: () => disposeQs8Conv2d(k, p) };
};

/** A kapri run of a shape on a module with a runner, its weights packed and input placed (outside any timing). */
const prepareKapri = (k: KernelModule, s: Shape, int4: boolean, runner: Runner, x: Int8Array) => {
  const spec = randomSpec(s, int4);
  const p = planned(k, s, spec, runner);
  const rx = k.arena.alloc(p.inBytes);
  const ry = k.arena.alloc(p.outBytes);
  k.arena.i8(rx, x.length).set(x);
  return {
    run: () => p.run(rx, ry),
    packed: p.packedBytes,
    raw: int4 ? Math.ceil(spec.weights.length / 2) : spec.weights.length,
    dispose: () => {
      k.arena.free(rx);
      k.arena.free(ry);
      p.dispose();
    },
  };
};

/** Times one kapri run of a shape on a module with a runner; weights packed once, outside the timing. */
const timeKapri = async (
  k: KernelModule,
  s: Shape,
  int4: boolean,
  runner: Runner,
  x: Int8Array,
  reps: number,
  idleGapMs = 0,
): Promise<{ ms: number; packed: number; raw: number }> => {
  const r = prepareKapri(k, s, int4, runner, x);
  try {
    return { ms: await measureMs(r.run, { reps, idleGapMs }), packed: r.packed, raw: r.raw };
  } finally {
    r.dispose();
  }
};

/**
 * One thread and the pool on the same shape, timed in alternation back to back and then with the
 * idle gap, so that the host's drift (large after an idle: a 60 ms sleep made one thread's GEMM
 * 3.1-3.3 ms against 2.8 back to back, stop 31) weighs on both sides of each ratio alike.
 */
const timeKapriPair = async (
  single: KernelModule,
  threaded: KernelModule,
  s: Shape,
  serial: Runner,
  pool: ThreadPool,
  x: Int8Array,
  reps: number,
  idleReps: number,
): Promise<{
  one: number;
  many: number;
  oneIdle: number;
  manyIdle: number;
  /** The caller's pace in the pool's split calls ÷ one thread's time, per pattern; null if none split. */
  pace: number | null;
  paceIdle: number | null;
  packed: number;
  raw: number;
}> => {
  const a = prepareKapri(single, s, false, serial, x);
  const b = prepareKapri(threaded, s, false, pool, x);
  const paces: number[] = [];
  const paced = () => {
    const before = pool.splitCalls;
    b.run();
    const split = pool.lastSplit;
    if (pool.splitCalls > before && split !== null && split.callerShare > 0)
      paces.push(split.callerMs / split.callerShare);
  };
  const paceOver = (oneMs: number): number | null => {
    const r = paces.length > 0 ? median(paces) / oneMs : null;
    paces.length = 0;
    return r;
  };
  try {
    const [one, many] = await measurePairMs(a.run, paced, { reps });
    const pace = paceOver(one);
    const [oneIdle, manyIdle] = await measurePairMs(a.run, paced, { reps: idleReps, idleGapMs: IDLE_GAP_MS });
    return { one, many, oneIdle, manyIdle, pace, paceIdle: paceOver(oneIdle), packed: a.packed, raw: a.raw };
  } finally {
    a.dispose();
    b.dispose();
  }
};

/** Times tfjs-wasm float32 on the same op and shape (result read back inside the timing). */
const timeTfjs = async (s: Shape, reps: number): Promise<number> => {
  const rng = createRng(3);
  const [n, h, w, cin] = s.geometry.inShape;
  const [kh, kw] = s.geometry.kernel;
  const rand = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
      shape,
    );
  const x = rand([n, h, w, cin]);
  const body: Record<Kind, () => { w: tf.Tensor; run: () => tf.Tensor }> = {
    conv2d: () => {
      const wt = rand([kh, kw, cin, s.cout]);
      return {
        w: wt,
        run: () =>
          tf.conv2d(x as tf.Tensor4D, wt as tf.Tensor4D, s.geometry.stride as [number, number], s.geometry.padding),
      };
    },
    depthwise: () => {
      const wt = rand([kh, kw, cin, 1]);
      return {
        w: wt,
        run: () =>
          tf.depthwiseConv2d(
            x as tf.Tensor4D,
            wt as tf.Tensor4D,
            s.geometry.stride as [number, number],
            s.geometry.padding,
          ),
      };
    },
    conv1d: () => {
      const wt = rand([kw, cin, s.cout]);
      const x1 = tf.reshape(x, [n, w, cin]) as tf.Tensor3D;
      return { w: wt, run: () => tf.conv1d(x1, wt as tf.Tensor3D, s.geometry.stride[1], s.geometry.padding) };
    },
    gemm: () => {
      const wt = rand([cin, s.cout]);
      const a = tf.reshape(x, [w, cin]) as tf.Tensor2D;
      return { w: wt, run: () => tf.matMul(a, wt as tf.Tensor2D) };
    },
  };
  const { w: wt, run } = body[s.kind]();
  const ms = await measureMs(
    () => {
      const y = run();
      y.dataSync();
      y.dispose();
    },
    { reps },
  );
  tf.dispose([x, wt]);
  return ms;
};

const timeJsRef = async (s: Shape, x: Int8Array): Promise<number> => {
  const spec = randomSpec(s, false);
  const q = { ...spec, clamp: [-128, 127] as const };
  return measureMs(
    () =>
      s.kind === 'depthwise'
        ? refQs8Depthwise(x, spec.weights, spec, q)
        : refQs8Conv2d(x, spec.weights, s.cout, spec, q),
    { warmup: 0, reps: 3, maxMs: 1 },
  );
};

/** What the int8 section measured. */
export interface Int8BenchResult {
  readonly cases: BenchCase[];
  /** The best rate of every roofline variant over every probe of the run. */
  readonly roofline: number;
  /** Each variant's best rate over the probes. */
  readonly rooflineVariants: readonly RooflineVariant[];
  /** The roofline as probed before the rows and after each shape. */
  readonly rooflineRuns: readonly number[];
  /** On all threads when a pool ran, else on one. */
  readonly conv2dInt8VsTfjsF32: number;
  readonly conv2dInt8VsTfjsF32OneThread: number;
  /** On the pool's threads, null when no pool ran. */
  readonly conv2dInt8VsTfjsF32Pooled: number | null;
  readonly rooflineFraction: number;
  readonly threadScaling: number | null;
  /** threadScaling with an idle gap before each call. */
  readonly threadScalingIdleGap: number | null;
  readonly notes: string[];
}

/** A pace this far above one thread's time says both threads ran slowly at once. */
const HOST_SHARED_PACE = 1.3;

const span = (xs: readonly number[]): string => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}×`;

/**
 * The note on the calling thread's pace in split calls (its ms ÷ its share of the range) against one
 * thread's time on the same call: near 1 the pool ran on two cores; well above 1 the two threads ran
 * slowly at once (cores slow to come back after an idle), and a split could not win that back.
 */
export const paceNote = (paces: readonly number[], pacesIdle: readonly number[]): string => {
  const idle = median(pacesIdle);
  return (
    `the calling thread's pace in split calls (its ms ÷ its share of the range) against one thread's ms, median per ≥1e8-MAC shape: back to back ${paces.length > 0 ? span(paces) : 'none split'}, after the ${IDLE_GAP_MS} ms idle ${span(pacesIdle)}` +
    (idle >= HOST_SHARED_PACE
      ? `; after the idle both threads ran slowly at once (median pace ${idle.toFixed(2)}×): the cores under the pool were slow to come back (the host's scheduling of its vCPUs or their power state), which no split can win back, so threadScalingIdleGap measures the host more than the pool`
      : '')
  );
};

/** The idle gap before each call of the idle-gap rows: about a frame or request interval. */
export const IDLE_GAP_MS = 60;

/** Runs the int8 section. */
export const benchInt8Kernels = async (opts: BenchOptions): Promise<Int8BenchResult> => {
  const reps = opts.quick ? 5 : 15;
  // calls after the idle vary by a factor of two on this host (stop 35): 31 pairs, not 15
  const idleReps = opts.quick ? 5 : 31;
  const single = await loadKernels({ build: 'simd' });
  const serial = serialRunner(single);
  const threaded = opts.threads > 1 ? await loadKernels({ build: 'threads' }).catch(() => null) : null;
  const pool = threaded ? await createThreadPool(threaded, opts.threads) : null;
  await initTraining({ backend: 'wasm' });
  const cases: BenchCase[] = [];
  const notes: string[] = [];
  const vsTfjs: number[] = [];
  const vsTfjsAll: number[] = [];
  const oneThreadGops: number[] = [];
  const scaling: number[] = [];
  const scalingIdle: number[] = [];
  // the calling thread's pace in split calls against one thread alone, per ≥1e8-MAC shape
  const paces: number[] = [];
  const pacesIdle: number[] = [];
  // the roofline is probed before the rows and after each shape: its best over the run is the
  // ceiling, and its spread says whether the machine's speed moved while the rows were timed
  const probes = [await measureInt8Roofline(single)];
  const packedNotes: string[] = [];
  try {
    for (const s of INT8_SHAPES) {
      opts.log(`kernels: ${s.op} ${s.label}`);
      const macs = macsOf(s);
      const ops = 2 * macs;
      const rng = createRng(11);
      const x = Int8Array.from({ length: s.geometry.inShape.reduce((a, b) => a * b, 1) }, () => rng.int(256) - 128);
      const row = (impl: string, ms: number): BenchCase => ({
        op: s.op,
        shape: s.label,
        impl,
        msMedian: ms,
        gops: gops(ops, ms),
      });
      const idle = `-idle${IDLE_GAP_MS}ms`;
      let manyMs: number | null = null;
      let one: { ms: number; packed: number; raw: number };
      if (pool && threaded) {
        const t = await timeKapriPair(single, threaded, s, serial, pool, x, reps, idleReps);
        one = { ms: t.one, packed: t.packed, raw: t.raw };
        cases.push(
          row('kapri-int8-1t', t.one),
          row(`kapri-int8-1t${idle}`, t.oneIdle),
          row(`kapri-int8-${opts.threads}t`, t.many),
          row(`kapri-int8-${opts.threads}t${idle}`, t.manyIdle),
        );
        if (macs > 100e6) {
          scaling.push(t.one / t.many);
          scalingIdle.push(t.oneIdle / t.manyIdle);
          if (t.pace !== null) paces.push(t.pace);
          if (t.paceIdle !== null) pacesIdle.push(t.paceIdle);
        }
        manyMs = t.many;
      } else {
        one = await timeKapri(single, s, false, serial, x, reps);
        const oneIdle = await timeKapri(single, s, false, serial, x, idleReps, IDLE_GAP_MS);
        cases.push(row('kapri-int8-1t', one.ms), row(`kapri-int8-1t${idle}`, oneIdle.ms));
      }
      packedNotes.push(`${s.op} ${s.label} ${one.packed} B packed vs ${one.raw} B raw`);
      if (s.kind !== 'depthwise') {
        const four = await timeKapri(single, s, true, serial, x, reps);
        cases.push(row('kapri-int4-1t', four.ms));
        packedNotes.push(`int4 ${four.packed} B packed vs ${four.raw} B raw`);
      }
      const tfMs = await timeTfjs(s, reps);
      cases.push(row('tfjs-wasm-f32', tfMs));
      if (s.kind !== 'gemm') {
        vsTfjs.push(tfMs / one.ms);
        if (manyMs !== null) vsTfjsAll.push(tfMs / manyMs);
      }
      if (s.threeByThree) oneThreadGops.push(gops(ops, one.ms));
      if (s.jsRef) cases.push(row('js-ref', await timeJsRef(s, x)));
      probes.push(await measureInt8Roofline(single));
    }
  } finally {
    await pool?.dispose();
  }
  const { roofline, rooflineVariants, rooflineRuns, rows: rooflineRows } = combineRooflineProbes(probes);
  cases.unshift(...rooflineRows);
  notes.push(
    `int8 roofline: the best of ${rooflineVariants.length} probe variants (accumulator counts, interleavings, unrolling, operands from loads or registers; each its fastest call), probed before the rows and after each shape: ${rooflineRuns.map((g) => g.toFixed(1)).join(', ')} GOPS`,
  );
  notes.push(
    `idle-gap rows (impl …-idle${IDLE_GAP_MS}ms): a ${IDLE_GAP_MS} ms sleep before each timed call, the way an app serving requests or frames calls; the other rows are back to back`,
  );
  notes.push(`packed weights (bias and multipliers included): ${packedNotes.join('; ')}`);
  if (pacesIdle.length > 0) notes.push(paceNote(paces, pacesIdle));
  const oneThread = geomean(vsTfjs);
  const allThreads = vsTfjsAll.length > 0 ? geomean(vsTfjsAll) : null;
  notes.push(
    `conv2dInt8VsTfjsF32 is the geometric mean over the conv shapes (3×3 ×3, 1×1, depthwise, conv1d; the GEMM row is shown but not in it) of tfjs-wasm f32 ms (one thread: tfjs-wasm never uses threads in Node) / kapri int8 ms on ${allThreads === null ? 'one thread' : `all ${opts.threads} threads`}` +
      `; kapri on one thread against it: ${oneThread.toFixed(2)}×${allThreads === null ? '' : `, on ${opts.threads} threads: ${allThreads.toFixed(2)}×`}`,
  );
  if (!pool)
    notes.push(
      `threads: ${opts.threads > 1 ? 'the threads build could not load here' : '--threads 1'}: no multi-thread rows, threadScaling null`,
    );
  return {
    cases,
    conv2dInt8VsTfjsF32: allThreads ?? oneThread,
    conv2dInt8VsTfjsF32OneThread: oneThread,
    conv2dInt8VsTfjsF32Pooled: allThreads,
    roofline,
    rooflineVariants,
    rooflineRuns,
    rooflineFraction: geomean(oneThreadGops.map((g) => g / roofline)),
    threadScaling: scaling.length > 0 ? geomean(scaling) : null,
    threadScalingIdleGap: scalingIdle.length > 0 ? geomean(scalingIdle) : null,
    notes,
  };
};
