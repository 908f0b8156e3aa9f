/** A small valid QModel for tests: quantize → conv3x3 → maxPool → globalAvgPool → dense → dequantize. */
import { encodeQModel } from '../../src/runtime/qmodelFile.js';
import type { QModelHeader } from '../../src/runtime/qmodelTypes.js';
import { createRng } from '../../src/core/rng.js';

export const smallModelBytes = (seed = 1): Uint8Array => {
  const rng = createRng(seed);
  const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
  const header: Omit<QModelHeader, 'sections'> = {
    name: 'fixture',
    producer: 'test',
    tensors: [
      { name: 'x', shape: [8, 8, 3], dtype: 'f32' },
      { name: 'xq', shape: [8, 8, 3], dtype: 'i8', quant: q(0.02, 0) },
      { name: 'c1', shape: [8, 8, 4], dtype: 'i8', quant: q(0.05, -128) },
      { name: 'p1', shape: [4, 4, 4], dtype: 'i8', quant: q(0.05, -128) },
      { name: 'g', shape: [4], dtype: 'i8', quant: q(0.04, -128) },
      { name: 'yq', shape: [2], dtype: 'i8', quant: q(0.1, 3) },
      { name: 'y', shape: [2], dtype: 'f32' },
    ],
    inputs: ['x'],
    outputs: ['y'],
    ops: [
      { op: 'quantize', inputs: ['x'], output: 'xq' },
      { op: 'conv2d', inputs: ['xq'], output: 'c1', kernel: [3, 3], stride: [1, 1], padding: 'same', bits: 8, activation: 'relu', weights: 0, scales: 1, bias: 2 },
      { op: 'maxPool', inputs: ['c1'], output: 'p1', size: [2, 2], stride: [2, 2], padding: 'valid' },
      { op: 'globalAvgPool', inputs: ['p1'], output: 'g' },
      { op: 'dense', inputs: ['g'], output: 'yq', bits: 8, activation: 'none', weights: 3, scales: 4, bias: 5 },
      { op: 'dequantize', inputs: ['yq'], output: 'y' },
    ],
    meta: { scenario: 'test' },
  };
  const i8 = (n: number) => Int8Array.from({ length: n }, () => rng.int(255) - 127);
  return encodeQModel(header, [
    i8(3 * 3 * 3 * 4),
    Float32Array.from({ length: 4 }, () => 0.001 + rng.uniform() * 0.01),
    Int32Array.from({ length: 4 }, () => rng.int(2000) - 1000),
    i8(4 * 2),
    Float32Array.from({ length: 2 }, () => 0.001 + rng.uniform() * 0.01),
    Int32Array.from({ length: 2 }, () => rng.int(2000) - 1000),
  ]);
};

/**
 * A one-layer QModel: f32 [inDim] → quantize → dense (int8, per-channel scales) → dequantize to the
 * f32 output `outName`. `w` is the float weight matrix [inDim × outDim] it quantizes; inputs are
 * expected within ±inRange and outputs within ±outRange.
 */
export const denseModelBytes = (w: Float32Array, inDim: number, outDim: number, outName: string, inRange = 4, outRange = 8): Uint8Array => {
  const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
  const sx = inRange / 127;
  const sy = outRange / 127;
  const scales = new Float32Array(outDim);
  for (let o = 0; o < outDim; o++) {
    let m = 0;
    for (let i = 0; i < inDim; i++) m = Math.max(m, Math.abs(w[i * outDim + o]!));
    scales[o] = Math.max(m, 1e-6) / 127;
  }
  const wq = Int8Array.from(w, (v, idx) => Math.round(v / scales[idx % outDim]!));
  return encodeQModel(
    {
      name: `dense-${outName}`,
      producer: 'test',
      tensors: [
        { name: 'x', shape: [inDim], dtype: 'f32' },
        { name: 'xq', shape: [inDim], dtype: 'i8', quant: q(sx, 0) },
        { name: 'yq', shape: [outDim], dtype: 'i8', quant: q(sy, 0) },
        { name: outName, shape: [outDim], dtype: 'f32' },
      ],
      inputs: ['x'],
      outputs: [outName],
      ops: [
        { op: 'quantize', inputs: ['x'], output: 'xq' },
        { op: 'dense', inputs: ['xq'], output: 'yq', bits: 8, activation: 'none', weights: 0, scales: 1, bias: 2 },
        { op: 'dequantize', inputs: ['yq'], output: outName },
      ],
      meta: {},
    },
    [wq, scales, new Int32Array(outDim)],
  );
};
