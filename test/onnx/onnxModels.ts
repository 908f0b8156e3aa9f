/**
 * Int8 ONNX models built in the tests, as a quantization tool writes them: the QLinear form
 * (QuantizeLinear → QLinearConv / QLinearMatMul / Clip / MaxPool → DequantizeLinear) and the QDQ form
 * (DequantizeLinear → Conv / MatMul / Gemm [→ Relu] → QuantizeLinear), int8 or uint8 activations,
 * per-tensor or per-channel weight scales, pads, strides and groups — all seeded.
 */
import { createRng, type Rng } from '../../src/core/rng.js';
import { createGraphBuilder, type AttributeValue, type OnnxGraphBuilder } from '../../src/onnx/onnxGraphBuilder.js';
import { DataType, onnx } from '../../src/onnx/onnxProto.js';

/** How a model's activations and weights are stored. */
export interface QuantStyle {
  /** uint8 activations (and uint8 weights with zero point 128) instead of int8. */
  readonly uint8: boolean;
  /** One weight scale per output channel, or one per tensor. */
  readonly perChannel: boolean;
}

/** NCHW → NHWC of a batch. */
export const toNhwc = (x: Float32Array, n: number, c: number, h: number, w: number): Float32Array => {
  const y = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < h * w; i++) y[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i]!;
  return y;
};

/** The ModelProto bytes of a graph (opset 13). */
export const modelBytes = (g: OnnxGraphBuilder, name: string, opset = 13): Uint8Array =>
  onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'kapri tests',
    graph: g.finish(name, ''),
  }).finish();

/** A helper over the builder that writes quantization constants of one style. */
export const quantWriter = (g: OnnxGraphBuilder, rng: Rng, style: QuantStyle) => {
  const zpOf = (hint: string, z: number) =>
    style.uint8 ? g.constant(hint, Uint8Array.of(z + 128), []) : g.constant(hint, Int8Array.of(z), []);
  const q = {
    /** Scale and zero point (given as int8; stored shifted for uint8). */
    act: (hint: string, scale: number, z: number): [string, string] => [
      g.constant(`${hint}.s`, Float32Array.of(scale), []),
      zpOf(`${hint}.z`, z),
    ],
    /** Weights of `n` values with `channels` scales along the output axis: [w, scale, zero point, scales]. */
    weights: (hint: string, dims: readonly number[], channels: number) => {
      const n = dims.reduce((a, b) => a * b, 1);
      const w = Int8Array.from({ length: n }, () => rng.int(255) - 127);
      const scales = Float32Array.from({ length: style.perChannel ? channels : 1 }, () => 0.002 + rng.uniform() * 0.01);
      const wName = style.uint8
        ? g.constant(
            `${hint}.w`,
            Uint8Array.from(w, (v) => v + 128),
            dims,
          )
        : g.constant(`${hint}.w`, w, dims);
      const sName = g.constant(`${hint}.ws`, scales, style.perChannel ? [channels] : []);
      const zeros = style.perChannel ? channels : 1;
      const zName = style.uint8
        ? g.constant(`${hint}.wz`, new Uint8Array(zeros).fill(128), style.perChannel ? [channels] : [])
        : g.constant(`${hint}.wz`, new Int8Array(zeros), style.perChannel ? [channels] : []);
      return { w: wName, ws: sName, wz: zName, scales };
    },
    bias: (hint: string, n: number) =>
      g.constant(
        `${hint}.b`,
        Int32Array.from({ length: n }, () => rng.int(4001) - 2000),
        [n],
      ),
  };
  return q;
};

const node = (g: OnnxGraphBuilder, op: string, ins: string[], out: string, attrs?: Record<string, AttributeValue>) =>
  g.node(op, ins, [out], attrs);

/**
 * QLinear form: x [N, 4, 9, 9] → QuantizeLinear → QLinearConv 3×3 same → Clip (ReLU) → depthwise
 * 3×3 stride 2 → grouped (2) 3×3 conv with explicit 'valid' pads → MaxPool 2×2 same-padded →
 * QLinearConv over the whole image → Flatten → QLinearMatMul → DequantizeLinear → y [N, 5].
 */
export const qlinearModel = (seed: number, style: QuantStyle): Uint8Array => {
  const rng = createRng(seed);
  const g = createGraphBuilder();
  const q = quantWriter(g, rng, style);
  g.io('input', 'x', DataType.FLOAT, [4, 9, 9]);
  g.io('output', 'y', DataType.FLOAT, [5]);
  const [xs, xz] = q.act('xq', 0.02, 3);
  node(g, 'QuantizeLinear', ['x', xs, xz], 'xq');
  const qconv = (
    x: string,
    xq: [string, string],
    out: string,
    m: number,
    cg: number,
    k: [number, number],
    attrs: Record<string, AttributeValue>,
    yq: [string, string],
  ) => {
    const w = q.weights(out, [m, cg, k[0], k[1]], m);
    node(g, 'QLinearConv', [x, ...xq, w.w, w.ws, w.wz, ...yq, q.bias(out, m)], out, { kernel_shape: k, ...attrs });
  };
  const c1q = q.act('c1', 0.05, -20);
  qconv('xq', [xs, xz], 'c1', 6, 4, [3, 3], { pads: [1, 1, 1, 1] }, c1q);
  const [lo, hi] = style.uint8
    ? [g.constant('lo', Uint8Array.of(-20 + 128), []), g.constant('hi', Uint8Array.of(255), [])]
    : [g.constant('lo', Int8Array.of(-20), []), g.constant('hi', Int8Array.of(127), [])];
  node(g, 'Clip', ['c1', lo, hi], 'r1');
  const dq = q.act('d', 0.06, 5);
  qconv('r1', c1q, 'd', 6, 1, [3, 3], { pads: [1, 1, 1, 1], strides: [2, 2], group: 6 }, dq); // 9 → 5, TF's same split
  const gq = q.act('gconv', 0.05, -3);
  qconv('d', dq, 'gconv', 4, 3, [3, 3], { pads: [0, 0, 0, 0], group: 2 }, gq); // 5 → 3
  node(g, 'MaxPool', ['gconv'], 'p', { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1] }); // 3 → 2
  const fq = q.act('full', 0.08, 0);
  qconv('p', gq, 'full', 7, 4, [2, 2], {}, fq); // → [7, 1, 1]
  node(g, 'Flatten', ['full'], 'flat', { axis: 1 });
  const w = q.weights('mm', [7, 5], 5);
  const yq = q.act('yq', 0.1, 2);
  node(g, 'QLinearMatMul', ['flat', ...fq, w.w, w.ws, w.wz, ...yq], 'yq');
  node(g, 'DequantizeLinear', ['yq', ...yq], 'y');
  return modelBytes(g, `qlinear-${seed}`);
};

/**
 * QDQ form: x [N, 3, 8, 8] → Q → DQ → Conv 3×3 stride 2 (DQ weights per channel, DQ int32 bias) →
 * Relu → Q → DQ → MaxPool → Q → DQ → Conv over the whole image → Q → DQ → Flatten → Gemm (transB, DQ bias) → Q → DQ →
 * MatMul (per-column scales) → Q → DQ → y [N, 3].
 */
/** Q → DQ pairs and DQ'd weights and biases of one style on a graph. */
const qdqWriter = (g: OnnxGraphBuilder, rng: Rng, style: QuantStyle) => {
  const q = quantWriter(g, rng, style);
  const qdq = (x: string, name: string, scale: number, z: number): [string, string, string] => {
    const [s, zp] = q.act(name, scale, z);
    node(g, 'QuantizeLinear', [x, s, zp], `${name}.q`);
    node(g, 'DequantizeLinear', [`${name}.q`, s, zp], `${name}.dq`);
    return [`${name}.dq`, s, zp];
  };
  /** DQ(weights) along `axis` and, with `xScale`, a DQ(int32 bias) of scale f32(s_x·s_w). */
  const dqWeights = (name: string, dims: number[], channels: number, axis: number, xScale?: number) => {
    const w = q.weights(name, dims, channels);
    node(g, 'DequantizeLinear', [w.w, w.ws, w.wz], `${name}.wf`, { axis });
    if (xScale === undefined) return { w: `${name}.wf` };
    const bs = Float32Array.from({ length: channels }, (_, i) =>
      Math.fround(Math.fround(xScale) * w.scales[style.perChannel ? i : 0]!),
    );
    node(
      g,
      'DequantizeLinear',
      [
        q.bias(name, channels),
        g.constant(`${name}.bs`, bs, [channels]),
        g.constant(`${name}.bz`, new Int32Array(channels), [channels]),
      ],
      `${name}.bf`,
      { axis: 0 },
    );
    return { w: `${name}.wf`, b: `${name}.bf` };
  };
  return { qdq, dqWeights };
};

export const qdqModel = (seed: number, style: QuantStyle): Uint8Array => {
  const g = createGraphBuilder();
  const { qdq, dqWeights } = qdqWriter(g, createRng(seed), style);
  g.io('input', 'x', DataType.FLOAT, [3, 8, 8]);
  g.io('output', 'y', DataType.FLOAT, [3]);
  const [x0] = qdq('x', 'xq', 0.03, -5);
  const c1 = dqWeights('c1', [8, 3, 3, 3], 8, 0, 0.03);
  node(g, 'Conv', [x0, c1.w, c1.b!], 'c1.f', { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] }); // 8 → 4
  node(g, 'Relu', ['c1.f'], 'c1.r');
  const [x1] = qdq('c1.r', 'c1o', 0.05, -10);
  node(g, 'MaxPool', [x1], 'mp.f', { kernel_shape: [2, 2], strides: [2, 2] }); // 4 → 2, one quantization
  const [xp] = qdq('mp.f', 'mpo', 0.05, -10);
  const c2 = dqWeights('c2', [6, 8, 2, 2], 6, 0, 0.05);
  node(g, 'Conv', [xp, c2.w, c2.b!], 'c2.f', { kernel_shape: [2, 2] }); // → [6, 1, 1]
  const [x2] = qdq('c2.f', 'c2o', 0.07, 4);
  node(g, 'Flatten', [x2], 'flat', { axis: 1 });
  const gm = dqWeights('gemm', [4, 6], 4, 0, 0.07);
  node(g, 'Gemm', ['flat', gm.w, gm.b!], 'gemm.f', { transB: 1 });
  const [x3] = qdq('gemm.f', 'gemmo', 0.09, -2);
  const mm = dqWeights('mm', [4, 3], 3, 1);
  node(g, 'MatMul', [x3, mm.w], 'mm.f');
  const [, ys, yz] = qdq('mm.f', 'yq', 0.12, 1);
  node(g, 'DequantizeLinear', ['yq.q', ys, yz], 'y');
  return modelBytes(g, `qdq-${seed}`);
};

/**
 * QDQ form with a residual and the average pools: x [N, 4, 8, 8] → Conv 3×3 same → Conv 1×1 → Add (the
 * residual) → Relu → AveragePool 2×2 stride 2 → AveragePool 3×3 same-padded (count_include_pad 0) →
 * GlobalAveragePool → Flatten → MatMul → y [N, 3]; every op between DequantizeLinear and QuantizeLinear.
 */
export const qdqResidualModel = (seed: number, style: QuantStyle): Uint8Array => {
  const g = createGraphBuilder();
  const { qdq, dqWeights } = qdqWriter(g, createRng(seed), style);
  g.io('input', 'x', DataType.FLOAT, [4, 8, 8]);
  g.io('output', 'y', DataType.FLOAT, [3]);
  const [x0] = qdq('x', 'xq', 0.03, 2);
  const c1 = dqWeights('c1', [6, 4, 3, 3], 6, 0, 0.03);
  node(g, 'Conv', [x0, c1.w, c1.b!], 'c1.f', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const [a] = qdq('c1.f', 'c1o', 0.06, -7);
  const c2 = dqWeights('c2', [6, 6, 1, 1], 6, 0, 0.06);
  node(g, 'Conv', [a, c2.w, c2.b!], 'c2.f', { kernel_shape: [1, 1] });
  const [b] = qdq('c2.f', 'c2o', 0.05, 9);
  node(g, 'Add', [a, b], 'sum.f');
  node(g, 'Relu', ['sum.f'], 'sum.r');
  const [s] = qdq('sum.r', 'sum', 0.08, -20);
  node(g, 'AveragePool', [s], 'p1.f', { kernel_shape: [2, 2], strides: [2, 2] });
  const [p1] = qdq('p1.f', 'p1', 0.07, -11);
  node(g, 'AveragePool', [p1], 'p2.f', { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 0 });
  const [p2] = qdq('p2.f', 'p2', 0.05, 6);
  node(g, 'GlobalAveragePool', [p2], 'gp.f');
  const [gp] = qdq('gp.f', 'gp', 0.04, -3);
  node(g, 'Flatten', [gp], 'flat', { axis: 1 });
  const mm = dqWeights('mm', [6, 3], 3, 1);
  node(g, 'MatMul', ['flat', mm.w], 'mm.f');
  const [, ys, yz] = qdq('mm.f', 'yq', 0.1, 0);
  node(g, 'DequantizeLinear', ['yq.q', ys, yz], 'y');
  return modelBytes(g, `qdq-residual-${seed}`);
};

/**
 * Vectors, both forms: x [N, 10] → QuantizeLinear → QLinearMatMul → Clip (ReLU6) → Reshape [N, 8, 1, 1]
 * → 1×1 QLinearConv → Reshape [N, 6] → DequantizeLinear → Gemm (transB 0, DQ bias) → Relu →
 * QuantizeLinear → DequantizeLinear → y [N, 4].
 */
export const mlpModel = (seed: number, style: QuantStyle): Uint8Array => {
  const rng = createRng(seed);
  const g = createGraphBuilder();
  const q = quantWriter(g, rng, style);
  const { qdq, dqWeights } = qdqWriter(g, rng, style);
  g.io('input', 'x', DataType.FLOAT, [10]);
  g.io('output', 'y', DataType.FLOAT, [4]);
  const xq = q.act('xq', 0.02, 1);
  node(g, 'QuantizeLinear', ['x', ...xq], 'xq');
  const w1 = q.weights('h1', [10, 8], 8);
  const h1q = q.act('h1', 0.08, -4);
  node(g, 'QLinearMatMul', ['xq', ...xq, w1.w, w1.ws, w1.wz, ...h1q], 'h1');
  const six = Math.round(6 / 0.08) - 4; // ReLU6's top code
  const [lo, hi] = style.uint8
    ? [g.constant('lo', Uint8Array.of(-4 + 128), []), g.constant('hi', Uint8Array.of(Math.min(six, 127) + 128), [])]
    : [g.constant('lo', Int8Array.of(-4), []), g.constant('hi', Int8Array.of(Math.min(six, 127)), [])];
  node(g, 'Clip', ['h1', lo, hi], 'h1r');
  node(g, 'Reshape', ['h1r', g.constant('to4', BigInt64Array.of(-1n, 8n, 1n, 1n), [4])], 'h1img');
  const w2 = q.weights('h2', [6, 8, 1, 1], 6);
  const h2q = q.act('h2', 0.05, 3);
  node(g, 'QLinearConv', ['h1img', ...h1q, w2.w, w2.ws, w2.wz, ...h2q, q.bias('h2', 6)], 'h2', {
    kernel_shape: [1, 1],
  });
  node(g, 'Reshape', ['h2', g.constant('to2', BigInt64Array.of(-1n, 6n), [2])], 'h2flat');
  node(g, 'DequantizeLinear', ['h2flat', ...h2q], 'h2f');
  const gm = dqWeights('gemm', [6, 4], 4, 1, 0.05);
  node(g, 'Gemm', ['h2f', gm.w, gm.b!], 'gemm.f');
  node(g, 'Relu', ['gemm.f'], 'gemm.r');
  const [, ys, yz] = qdq('gemm.r', 'yq', 0.07, -9);
  node(g, 'DequantizeLinear', ['yq.q', ys, yz], 'y');
  return modelBytes(g, `mlp-${seed}`);
};
