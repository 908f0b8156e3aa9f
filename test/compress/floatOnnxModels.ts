/**
 * Float ONNX models built in the tests for the calibrated import: a convnet on [N, 3, 12, 12] with
 * every op it takes, and an MLP on [N, 16]; seeded, and inputs uniform on [0, 1).
 */
import { createRng } from '../../src/core/rng.js';
import { createGraphBuilder } from '../../src/onnx/onnxGraphBuilder.js';
import { DataType } from '../../src/onnx/onnxProto.js';
import { modelBytes } from '../onnx/onnxModels.js';

/** `n` seeded values uniform on [0, 1). */
export const uniform = (n: number, seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform());
};

/** Seeded float weights of `n` values with standard deviation `std`. */
const weights = (n: number, seed: number, std: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * std);
};

/** A float convnet on [N, 3, 12, 12] with every op a calibrated import takes; options break one thing. */
export const floatConvnet = (edit: { paddedAverage?: boolean; sigmoid?: boolean } = {}): Uint8Array => {
  const g = createGraphBuilder();
  g.io('input', 'x', DataType.FLOAT, [3, 12, 12]);
  g.io('output', 'y', DataType.FLOAT, [5]);
  const conv = (x: string, out: string, cin: number, cout: number, k: number, group: number, seed: number): string => {
    const w = g.constant(
      `${out}.w`,
      weights(cout * (cin / group) * k * k, seed, Math.sqrt(2 / ((cin / group) * k * k))),
      [cout, cin / group, k, k],
    );
    const b = g.constant(`${out}.b`, weights(cout, seed + 100, 0.1), [cout]);
    const p = (k - 1) / 2;
    return g.node('Conv', [x, w, b], [out], { kernel_shape: [k, k], pads: [p, p, p, p], strides: [1, 1], group });
  };
  const c1 = conv('x', 'c1', 3, 8, 3, 1, 1);
  const r1 = g.node('Relu', [c1], ['r1']);
  const m1 = g.node('MaxPool', [r1], ['m1'], { kernel_shape: [2, 2], strides: [2, 2] }); // [8, 6, 6]
  const d1 = conv(m1, 'd1', 8, 8, 3, 8, 2); // depthwise
  const six = g.constant('six', Float32Array.of(6), []);
  const zero = g.constant('zero', Float32Array.of(0), []);
  const r2 = g.node('Clip', [d1, zero, six], ['r2']);
  const p1 = conv(r2, 'p1', 8, 8, 1, 1, 3);
  const s1 = g.node('Add', [m1, p1], ['s1']);
  const r3 = g.node(edit.sigmoid ? 'Sigmoid' : 'Relu', [s1], ['r3']);
  const a1 = g.node('AveragePool', [r3], ['a1'], {
    kernel_shape: [2, 2],
    strides: [2, 2],
    pads: edit.paddedAverage ? [1, 1, 1, 1] : [0, 0, 0, 0],
  }); // [8, 3, 3]
  const gp = g.node('GlobalAveragePool', [a1], ['gp']);
  const fl = g.node('Flatten', [gp], ['fl'], { axis: 1 });
  const fw = g.constant('fc.w', weights(5 * 8, 4, 0.5), [5, 8]);
  const fb = g.constant('fc.b', weights(5, 5, 0.1), [5]);
  g.node('Gemm', [fl, fw, fb], ['y'], { transB: 1 });
  return modelBytes(g, 'float-convnet');
};

/** A float MLP on [N, 16]: MatMul → Relu → Gemm. */
export const floatMlp = (): Uint8Array => {
  const g = createGraphBuilder();
  g.io('input', 'x', DataType.FLOAT, [16]);
  g.io('output', 'y', DataType.FLOAT, [4]);
  const w1 = g.constant('w1', weights(16 * 12, 7, 0.35), [16, 12]);
  const h = g.node('MatMul', ['x', w1], ['h']);
  const r = g.node('Relu', [h], ['r']);
  const w2 = g.constant('w2', weights(12 * 4, 8, 0.4), [12, 4]);
  const b2 = g.constant('b2', weights(4, 9, 0.1), [4]);
  g.node('Gemm', [r, w2, b2], ['y']);
  return modelBytes(g, 'float-mlp');
};
