/**
 * The int8 kernel shapes (bench/kernelsInt8.ts) as one-node ONNX models in onnxruntime-web and
 * onnxruntime-node, one thread and `threads` each: conv2d, depthwise (group = C) and conv1d (a 1×k
 * conv) as QLinearConv on an NCHW int8 input, the GEMM as QLinearMatMul. Each model holds the
 * kernel row's weights and per-channel multipliers (x and y scales 1, weight scales = kapri's
 * multipliers, so onnxruntime's f32(x·w/y) is kapri's multiplier exactly) and is checked against
 * kapri's kernel on the same int8 input bit for bit before it is timed. The peers' time covers
 * `session.run` with the output read back: their own layout (NCHW) in and out, as a user of the
 * node would call it; the GEMM runs without a bias (QLinearMatMul has none).
 */
import { createRng } from '../src/core/rng.js';
import { convOutSize } from '../src/core/shape.js';
import { type KernelModule, loadKernels } from '../src/kernels/loader.js';
import { serialRunner } from '../src/kernels/parallel.js';
import { convAttrs, convWeightsToOnnx, depthwiseWeightsToOnnx } from '../src/onnx/exportOps.js';
import { createGraphBuilder } from '../src/onnx/onnxGraphBuilder.js';
import { DataType, EXPORT_IR_VERSION, EXPORT_OPSET, onnx } from '../src/onnx/onnxProto.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { INT8_SHAPES, macsOf, planned, randomSpec } from './kernelsInt8.js';
import { gops, type MeasureOptions } from './measure.js';
import { type OrtPeerRunner, runPeers } from './ortPeerRunner.js';
import type { OrtJob } from './ortSession.js';

type Shape = (typeof INT8_SHAPES)[number];

/** NHWC → NCHW of int8 codes. */
export const toNchw = (x: Int8Array, [n, h, w, c]: readonly [number, number, number, number]): Int8Array => {
  const out = new Int8Array(x.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let ch = 0; ch < c; ch++) out[((b * c + ch) * h + i) * w + j] = x[((b * h + i) * w + j) * c + ch]!;
  return out;
};

/** The output [N, OH, OW, C] of a shape. */
const outShapeOf = (s: Shape): [number, number, number, number] => {
  const [n, h, w] = s.geometry.inShape;
  const { kernel, stride, padding } = s.geometry;
  return [n, convOutSize(h, kernel[0], stride[0], padding), convOutSize(w, kernel[1], stride[1], padding), s.cout];
};

/** The spec of a shape's peer model: the kernel row's, without a bias for the GEMM. */
const specOf = (s: Shape) => {
  const spec = randomSpec(s, false);
  return s.kind === 'gemm' ? { ...spec, bias: new Int32Array(s.cout) } : spec;
};

/** The one-node ONNX model of a shape (see the file comment). */
export const oneNodeModel = (s: Shape): Uint8Array => {
  const spec = specOf(s);
  const [, h, w, cin] = s.geometry.inShape;
  const [kh, kw] = s.geometry.kernel;
  const g = createGraphBuilder();
  const one = g.constant('one', Float32Array.of(1), []);
  const xz = g.constant('x_zero_point', Int8Array.of(spec.xZeroPoint), []);
  const yz = g.constant('y_zero_point', Int8Array.of(spec.yZeroPoint), []);
  const ws = g.constant('w_scale', spec.multipliers, [s.cout]);
  const wz = g.constant('w_zero_point', new Int8Array(s.cout), [s.cout]);
  if (s.kind === 'gemm') {
    // A [M, K] (the batch axis is M), B [K, N]: kapri's [1, 1, Cin, Cout] weights as they are
    g.io('input', 'x', DataType.INT8, [cin]);
    g.io('output', 'y', DataType.INT8, [s.cout]);
    const b = g.constant('b', spec.weights, [cin, s.cout]);
    g.node('QLinearMatMul', ['x', one, xz, b, ws, wz, one, yz], ['y']);
  } else {
    const [, oh, ow] = outShapeOf(s);
    g.io('input', 'x', DataType.INT8, [cin, h, w]);
    g.io('output', 'y', DataType.INT8, [s.cout, oh, ow]);
    const depthwise = s.kind === 'depthwise';
    const wt = depthwise
      ? g.constant('w', depthwiseWeightsToOnnx(spec.weights, cin), [cin, 1, kh, kw])
      : g.constant('w', convWeightsToOnnx(spec.weights, kh, kw, cin, s.cout), [s.cout, cin, kh, kw]);
    const bias = g.constant('bias', spec.bias, [s.cout]);
    g.node('QLinearConv', ['x', one, xz, wt, ws, wz, one, yz, bias], ['y'], convAttrs(s.geometry, depthwise ? cin : 1));
  }
  return onnx.ModelProto.encode({
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'kapri bench',
    graph: g.finish(`${s.op} ${s.label}`, ''),
  }).finish();
};

/** The job of a shape: its model, the int8 input in the model's layout, kapri's output in it. */
const jobOf = (k: KernelModule, s: Shape, measure: MeasureOptions): OrtJob => {
  const rng = createRng(11);
  const inShape = s.geometry.inShape;
  const x = Int8Array.from({ length: inShape.reduce((a, b) => a * b, 1) }, () => rng.int(256) - 128);
  const outShape = outShapeOf(s);
  const p = planned(k, s, specOf(s), serialRunner(k));
  const rx = k.arena.alloc(p.inBytes);
  const ry = k.arena.alloc(p.outBytes);
  let y: Int8Array;
  try {
    k.arena.i8(rx, x.length).set(x);
    p.run(rx, ry);
    y = Int8Array.from(
      k.arena.i8(
        ry,
        outShape.reduce((a, b) => a * b, 1),
      ),
    );
  } finally {
    k.arena.free(rx);
    k.arena.free(ry);
    p.dispose();
  }
  const gemm = s.kind === 'gemm';
  const [n, h, w, cin] = inShape;
  return {
    label: `${s.op} ${s.label}`,
    bytes: oneNodeModel(s),
    input: gemm
      ? { name: 'x', data: x, dims: [w, cin] }
      : { name: 'x', data: toNchw(x, inShape), dims: [n, cin, h, w] },
    expected: { y: gemm ? y : toNchw(y, outShape) },
    measure,
  };
};

/** What the section measured: peer rows (op and shape of their kernel row) and faults. */
export interface OrtKernelResult {
  readonly cases: BenchCase[];
  readonly notes: string[];
  readonly faults: string[];
}

/** Options beyond the bench's: where the peers run, and the shapes (default: every int8 bench shape). */
export interface OrtKernelOptions extends BenchOptions {
  /** Node: `nodeOrtPeers` (bench/ortPeers.ts); a browser page: its Web Worker runner. */
  readonly peers: OrtPeerRunner;
  readonly shapes?: readonly Shape[];
}

/** Runs the section over `shapes` on the peers of `peers`, one thread and `threads` each. */
export const benchOrtKernels = async (opts: OrtKernelOptions): Promise<OrtKernelResult> => {
  const shapes = opts.shapes ?? INT8_SHAPES;
  const measure: MeasureOptions = { reps: opts.quick ? 5 : 15, warmupMs: opts.quick ? 500 : 2000 };
  const jobs: OrtJob[] = [];
  const k = await loadKernels({ build: 'simd' });
  for (const s of shapes) jobs.push(jobOf(k, s, measure));
  const bySelf = new Map(shapes.map((s) => [`${s.op} ${s.label}`, s]));
  const peers = await runPeers(opts.peers, opts.threads > 1 ? [1, opts.threads] : [1], jobs, 'kernels', opts.log);
  const cases = peers.rows.map((r): BenchCase => {
    const s = bySelf.get(r.label)!;
    return { op: s.op, shape: s.label, impl: r.impl, msMedian: r.msMedian, gops: gops(2 * macsOf(s), r.msMedian) };
  });
  const notes = [
    ...peers.notes,
    `kernel peer rows (impl onnxruntime-*-int8-Nt, run in ${opts.peers.where}): one-node QLinearConv / QLinearMatMul models of the kernel row’s weights, outputs bit-identical to kapri’s kernel before timing; their time is session.run on NCHW int8 with the output read back, kapri’s the kernel between arena buffers`,
  ];
  return { cases, notes, faults: peers.faults };
};

/** `cases` with each peer row moved beside the last row of its op and shape (rows of no kernel go last). */
export const besideKernelRows = (cases: readonly BenchCase[], peers: readonly BenchCase[]): BenchCase[] => {
  const out = [...cases];
  for (const p of peers) {
    let at = -1;
    out.forEach((c, i) => {
      if (c.op === p.op && c.shape === p.shape) at = i;
    });
    if (at < 0) out.push(p);
    else out.splice(at + 1, 0, p);
  }
  return out;
};
