/**
 * Seeded random QModels with every built-in op (quantize, conv2d int8/int4 with random kernel,
 * stride and padding, depthwise3x3, add, maxPool, avgPool, globalAvgPool, dense int8/int4,
 * dequantize) and random quantization and activations; outputs of each dtype and layout (an f32
 * vector, an int8 image, an int8 vector). Scales are set from the layer sizes so that the codes spread
 * over the int8 range instead of saturating.
 */
import { convOutSize } from '../../src/core/shape.js';
import { createRng } from '../../src/core/rng.js';
import { unwrap } from '../../src/core/errors.js';
import { packInt4 } from '../../src/kernels/int4.js';
import { decodeQModel, encodeQModel } from '../../src/runtime/qmodelFile.js';
import type { QActivation, QModel, QModelHeader, QTensor } from '../../src/runtime/qmodelTypes.js';

type Section = Int8Array | Uint8Array | Int32Array | Float32Array;

/** A random model of seed `seed` as bytes. */
export const randomQModelBytes = (seed: number): Uint8Array => {
  const rng = createRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const between = (lo: number, hi: number) => lo + rng.uniform() * (hi - lo);
  const tensors: QTensor[] = [];
  const ops: QModelHeader['ops'][number][] = [];
  const sections: Section[] = [];
  const section = (s: Section): number => sections.push(s) - 1;
  const act = (): QActivation => pick(['none', 'relu', 'relu6'] as const);
  const i8 = (name: string, shape: number[], scale: number): QTensor => {
    const t: QTensor = { name, shape, dtype: 'i8', quant: { scale: Math.fround(scale), zeroPoint: rng.int(61) - 30 } };
    tensors.push(t);
    return t;
  };
  /** Weights, scales and bias of a weight op with `k` inputs per output; returns the output scale that spreads its codes. */
  const weightSections = (x: QTensor, k: number, cout: number, bits: 8 | 4) => {
    const w = Int8Array.from({ length: k * cout }, () => (bits === 8 ? rng.int(255) - 127 : rng.int(15) - 7));
    const scales = Float32Array.from({ length: cout }, () => between(0.002, 0.02));
    const bias = Int32Array.from({ length: cout }, () => rng.int(4001) - 2000);
    const mean = scales.reduce((a, b) => a + b, 0) / cout;
    const wStd = bits === 8 ? 73 : 4.3;
    const yScale = (x.quant!.scale * mean * 40 * wStd * Math.sqrt(k)) / 40;
    return {
      fields: { weights: section(bits === 8 ? w : packInt4(w)), scales: section(scales), bias: section(bias) },
      yScale,
    };
  };

  const [h, w, cin] = [5 + rng.int(5), 5 + rng.int(5), 1 + rng.int(5)];
  tensors.push({ name: 'x', shape: [h, w, cin], dtype: 'f32' });
  const xq = i8('xq', [h, w, cin], between(0.01, 0.05));
  ops.push({ op: 'quantize', inputs: ['x'], output: 'xq' });

  // conv2d with a random window
  const kernel: [number, number] = [pick([1, 2, 3, 5]), pick([1, 3])];
  const stride: [number, number] = [pick([1, 2]), pick([1, 2])];
  const padding = pick(['same', 'valid'] as const);
  const c1 = 2 + rng.int(7);
  const oh = convOutSize(h, kernel[0], stride[0], padding);
  const ow = convOutSize(w, kernel[1], stride[1], padding);
  const bits1 = pick([8, 4] as const);
  const s1 = weightSections(xq, kernel[0] * kernel[1] * cin, c1, bits1);
  const c = i8('c', [oh, ow, c1], s1.yScale);
  ops.push({
    op: 'conv2d',
    inputs: ['xq'],
    output: 'c',
    kernel,
    stride,
    padding,
    bits: bits1,
    activation: act(),
    ...s1.fields,
  });

  // depthwise3x3
  const dStride = pick([1, 2] as const);
  const [dh, dw] = [convOutSize(oh, 3, dStride, 'same'), convOutSize(ow, 3, dStride, 'same')];
  const s2 = weightSections(c, 9, c1, 8);
  i8('d', [dh, dw, c1], s2.yScale);
  ops.push({ op: 'depthwise3x3', inputs: ['c'], output: 'd', stride: dStride, activation: act(), ...s2.fields });

  // a 1×1 branch and the residual add
  const d = tensors.at(-1)!;
  const bits3 = pick([8, 4] as const);
  const s3 = weightSections(d, c1, c1, bits3);
  i8('e', [dh, dw, c1], s3.yScale);
  ops.push({
    op: 'conv2d',
    inputs: ['d'],
    output: 'e',
    kernel: [1, 1],
    stride: [1, 1],
    padding: 'valid',
    bits: bits3,
    activation: 'none',
    ...s3.fields,
  });
  const a = i8('a', [dh, dw, c1], Math.max(d.quant!.scale, s3.yScale) * between(1, 2));
  ops.push({ op: 'add', inputs: ['d', 'e'], output: 'a', activation: act() });

  // maxPool keeps the quantization
  const mSize: [number, number] = [Math.min(dh, pick([1, 2, 3])), Math.min(dw, pick([2, 3]))];
  const mStride: [number, number] = [pick([1, 2]), pick([1, 2])];
  const mPad = pick(['same', 'valid'] as const);
  const [ph, pw] = [convOutSize(dh, mSize[0], mStride[0], mPad), convOutSize(dw, mSize[1], mStride[1], mPad)];
  tensors.push({ name: 'p', shape: [ph, pw, c1], dtype: 'i8', quant: a.quant! });
  ops.push({ op: 'maxPool', inputs: ['a'], output: 'p', size: mSize, stride: mStride, padding: mPad });

  // avgPool (unpadded windows) then globalAvgPool
  const aSize: [number, number] = [Math.min(ph, pick([1, 2])), Math.min(pw, pick([1, 2]))];
  const aStride: [number, number] = [pick([1, 2]), 1];
  const [qh, qw] = [convOutSize(ph, aSize[0], aStride[0], 'valid'), convOutSize(pw, aSize[1], aStride[1], 'valid')];
  const ap = i8('ap', [qh, qw, c1], a.quant!.scale * between(0.5, 1.5));
  ops.push({ op: 'avgPool', inputs: ['p'], output: 'ap', size: aSize, stride: aStride, padding: 'valid' });
  const gp = i8('gp', [c1], ap.quant!.scale * between(0.5, 1.5));
  ops.push({ op: 'globalAvgPool', inputs: ['ap'], output: 'gp' });

  // two dense layers, then dequantize
  const u1 = 2 + rng.int(6);
  const bits4 = pick([8, 4] as const);
  const s4 = weightSections(gp, c1, u1, bits4);
  const h1 = i8('h1', [u1], s4.yScale);
  ops.push({ op: 'dense', inputs: ['gp'], output: 'h1', bits: bits4, activation: act(), ...s4.fields });
  const u2 = 1 + rng.int(5);
  const bits5 = pick([8, 4] as const);
  const s5 = weightSections(h1, u1, u2, bits5);
  i8('yq', [u2], s5.yScale);
  ops.push({ op: 'dense', inputs: ['h1'], output: 'yq', bits: bits5, activation: act(), ...s5.fields });
  tensors.push({ name: 'y', shape: [u2], dtype: 'f32' });
  ops.push({ op: 'dequantize', inputs: ['yq'], output: 'y' });

  return encodeQModel(
    {
      name: `random-${seed}`,
      producer: 'test',
      tensors,
      inputs: ['x'],
      outputs: ['y', 'p', 'gp'],
      ops,
      meta: { seed },
    },
    sections,
  );
};

/** The decoded random model of seed `seed`. */
export const randomQModel = (seed: number): QModel => unwrap(decodeQModel(randomQModelBytes(seed)));
