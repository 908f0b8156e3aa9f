/** A small valid QModel for tests: quantize → conv3x3 → maxPool → globalAvgPool → dense → dequantize. */
import { encodeQModel } from '../../src/runtime/qmodelFile.js';
import type { QModelHeader } from '../../src/runtime/qmodelTypes.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import type { Conv2dOp } from '../../src/runtime/ops/conv2d.js';
import { unpackInt4 } from '../../src/kernels/int4.js';

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
      {
        op: 'conv2d',
        inputs: ['xq'],
        output: 'c1',
        kernel: [3, 3],
        stride: [1, 1],
        padding: 'same',
        bits: 8,
        activation: 'relu',
        weights: 0,
        scales: 1,
        bias: 2,
      },
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
export const denseModelBytes = (
  w: Float32Array,
  inDim: number,
  outDim: number,
  outName: string,
  inRange = 4,
  outRange = 8,
): Uint8Array => {
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

/**
 * A QModel with a residual branch and every op kind the fixture above lacks: quantize → depthwise3x3
 * → conv2d 1×1 (int4) → add (the residual) → avgPool → globalAvgPool → dense (int4) → dequantize,
 * with two outputs (the f32 `y` and the int8 pooled features `g`).
 */
export const branchyModelBytes = (seed = 1): Uint8Array => {
  const rng = createRng(seed);
  const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
  const header: Omit<QModelHeader, 'sections'> = {
    name: 'branchy',
    producer: 'test',
    tensors: [
      { name: 'x', shape: [6, 6, 4], dtype: 'f32' },
      { name: 'xq', shape: [6, 6, 4], dtype: 'i8', quant: q(0.03, 2) },
      { name: 'd', shape: [6, 6, 4], dtype: 'i8', quant: q(0.05, -5) },
      { name: 'c', shape: [6, 6, 4], dtype: 'i8', quant: q(0.04, 0) },
      { name: 'a', shape: [6, 6, 4], dtype: 'i8', quant: q(0.06, -128) },
      { name: 'p', shape: [3, 3, 4], dtype: 'i8', quant: q(0.05, -100) },
      { name: 'g', shape: [4], dtype: 'i8', quant: q(0.04, -90) },
      { name: 'yq', shape: [3], dtype: 'i8', quant: q(0.1, 1) },
      { name: 'y', shape: [3], dtype: 'f32' },
    ],
    inputs: ['x'],
    outputs: ['y', 'g'],
    ops: [
      { op: 'quantize', inputs: ['x'], output: 'xq' },
      {
        op: 'depthwise3x3',
        inputs: ['xq'],
        output: 'd',
        stride: 1,
        activation: 'relu6',
        weights: 0,
        scales: 1,
        bias: 2,
      },
      {
        op: 'conv2d',
        inputs: ['d'],
        output: 'c',
        kernel: [1, 1],
        stride: [1, 1],
        padding: 'valid',
        bits: 4,
        activation: 'none',
        weights: 3,
        scales: 4,
        bias: 5,
      },
      { op: 'add', inputs: ['d', 'c'], output: 'a', activation: 'relu' },
      { op: 'avgPool', inputs: ['a'], output: 'p', size: [2, 2], stride: [2, 2], padding: 'valid' },
      { op: 'globalAvgPool', inputs: ['p'], output: 'g' },
      { op: 'dense', inputs: ['g'], output: 'yq', bits: 4, activation: 'none', weights: 6, scales: 7, bias: 8 },
      { op: 'dequantize', inputs: ['yq'], output: 'y' },
    ],
    meta: { scenario: 'test' },
  };
  const i8 = (n: number) => Int8Array.from({ length: n }, () => rng.int(255) - 127);
  const int4 = (n: number) => Uint8Array.from({ length: Math.ceil(n / 2) }, () => rng.int(256));
  const scales = (n: number) => Float32Array.from({ length: n }, () => 0.002 + rng.uniform() * 0.01);
  const bias = (n: number) => Int32Array.from({ length: n }, () => rng.int(2000) - 1000);
  return encodeQModel(header, [
    i8(9 * 4),
    scales(4),
    bias(4),
    int4(4 * 4),
    scales(4),
    bias(4),
    int4(4 * 3),
    scales(3),
    bias(3),
  ]);
};

/** n int8 weight codes in [−127, 127]. */
const int8Codes = (rng: Rng, n: number): Int8Array => Int8Array.from({ length: n }, () => rng.int(255) - 127);
/** n int4 weight codes, two a byte. */
const int4Codes = (rng: Rng, n: number): Uint8Array =>
  Uint8Array.from({ length: Math.ceil(n / 2) }, () => rng.int(256));
/** The weights, scales and bias fields of an op whose sections start at `first`. */
const sectionsFrom = (first: number) => ({ weights: first, scales: first + 1, bias: first + 2 });
/** A conv2d op entry (square stride). */
const conv = (
  input: string,
  output: string,
  kernel: [number, number],
  stride: number,
  padding: 'same' | 'valid',
  bits: 4 | 8,
  activation: 'none' | 'relu',
  first: number,
): Conv2dOp => ({
  op: 'conv2d',
  inputs: [input],
  output,
  kernel,
  stride: [stride, stride],
  padding,
  bits,
  activation,
  ...sectionsFrom(first),
});

/**
 * A mixed int8/int4 QModel like a `mixed-8/4` deployment, with every op kind that has its own kernel
 * path: quantize → conv2d 3×3 (int4) → depthwise3x3 stride 2 → conv2d 1×1 (int4) → add (residual)
 * → avgPool 3×3 stride 2 'same' (requantized) → conv2d 3×3 'valid' (int8) → globalAvgPool →
 * dense (int4) → dequantize. Zero points are spread over the int8 range. Outputs: f32 `y`, int8 `g`.
 */
export const mixedModelBytes = (seed = 1): Uint8Array => {
  const rng = createRng(seed);
  const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
  const header: Omit<QModelHeader, 'sections'> = {
    name: 'mixed',
    producer: 'test',
    tensors: [
      { name: 'x', shape: [16, 14, 3], dtype: 'f32' },
      { name: 'xq', shape: [16, 14, 3], dtype: 'i8', quant: q(0.02, 37) },
      { name: 'c1', shape: [16, 14, 8], dtype: 'i8', quant: q(0.02, -128) },
      { name: 'd', shape: [8, 7, 8], dtype: 'i8', quant: q(0.02, -101) },
      { name: 'c2', shape: [8, 7, 8], dtype: 'i8', quant: q(0.03, 119) },
      { name: 'a', shape: [8, 7, 8], dtype: 'i8', quant: q(0.03, -128) },
      { name: 'p', shape: [4, 4, 8], dtype: 'i8', quant: q(0.02, -77) },
      { name: 'c3', shape: [2, 2, 12], dtype: 'i8', quant: q(0.04, -20) },
      { name: 'g', shape: [12], dtype: 'i8', quant: q(0.03, 127) },
      { name: 'yq', shape: [5], dtype: 'i8', quant: q(0.05, -3) },
      { name: 'y', shape: [5], dtype: 'f32' },
    ],
    inputs: ['x'],
    outputs: ['y', 'g'],
    ops: [
      { op: 'quantize', inputs: ['x'], output: 'xq' },
      conv('xq', 'c1', [3, 3], 1, 'same', 4, 'relu', 0),
      { op: 'depthwise3x3', inputs: ['c1'], output: 'd', stride: 2, activation: 'relu6', ...sectionsFrom(3) },
      conv('d', 'c2', [1, 1], 1, 'valid', 4, 'none', 6),
      { op: 'add', inputs: ['d', 'c2'], output: 'a', activation: 'relu' },
      { op: 'avgPool', inputs: ['a'], output: 'p', size: [3, 3], stride: [2, 2], padding: 'same' },
      conv('p', 'c3', [3, 3], 1, 'valid', 8, 'none', 9),
      { op: 'globalAvgPool', inputs: ['c3'], output: 'g' },
      { op: 'dense', inputs: ['g'], output: 'yq', bits: 4, activation: 'none', ...sectionsFrom(12) },
      { op: 'dequantize', inputs: ['yq'], output: 'y' },
    ],
    meta: { scenario: 'test' },
  };
  const i8 = (n: number) => int8Codes(rng, n);
  const int4 = (n: number) => int4Codes(rng, n);
  // weight scales ~ 1 / (√terms · typical |code|), so that every layer's codes spread
  const scales = (n: number, terms: number, code: number) =>
    Float32Array.from({ length: n }, () => (0.5 + rng.uniform()) / (Math.sqrt(terms) * code));
  const bias = (n: number, spread: number) => Int32Array.from({ length: n }, () => rng.int(2 * spread + 1) - spread);
  return encodeQModel(header, [
    int4(27 * 8),
    scales(8, 27, 4),
    bias(8, 200),
    i8(9 * 8),
    scales(8, 9, 60),
    bias(8, 2000),
    int4(8 * 8),
    scales(8, 8, 4),
    bias(8, 200),
    i8(9 * 8 * 12),
    scales(12, 72, 60),
    bias(12, 2000),
    int4(12 * 5),
    scales(5, 12, 4),
    bias(5, 200),
  ]);
};

/** Sections as encodeQModel takes them. */
type Sections = (Int8Array | Uint8Array | Int32Array | Float32Array)[];

/**
 * Re-encodes a model after `edit` changed its header (a plain JSON copy) or its section values, with
 * every checksum recomputed: a file that is wrong only in meaning. Reads the file without decoding it.
 */
export const reencodeModel = (
  bytes: Uint8Array,
  // biome-ignore lint/suspicious/noExplicitAny: the edit reaches into an untyped JSON header on purpose (it forges files).
  edit: (header: Record<string, any>, sections: Sections) => void,
): Uint8Array => {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(8, true);
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + n))) as Record<string, any>;
  const sections: Sections = (header['sections'] as { offset: number; length: number; dtype: string }[]).map(
    ({ offset, length, dtype }) => {
      const b = bytes.slice(offset, offset + length * (dtype === 'i32' || dtype === 'f32' ? 4 : 1));
      return dtype === 'i8'
        ? new Int8Array(b.buffer)
        : dtype === 'u8'
          ? b
          : dtype === 'i32'
            ? new Int32Array(b.buffer)
            : new Float32Array(b.buffer);
    },
  );
  delete header['sections'];
  edit(header, sections);
  return encodeQModel(header as Omit<QModelHeader, 'sections'>, sections);
};

/** A model of one op kind between a quantize and a dequantize: f32 `x` → quantize → `op` → dequantize → f32 `y`. */
export const oneOpModelBytes = (
  inShape: number[],
  outShape: number[],
  op: Record<string, unknown>,
  sections: Sections = [],
  quant: { x?: [number, number]; y?: [number, number] } = {},
): Uint8Array =>
  encodeQModel(
    {
      name: 'one-op',
      producer: 'test',
      tensors: [
        { name: 'x', shape: inShape, dtype: 'f32' },
        {
          name: 'xq',
          shape: inShape,
          dtype: 'i8',
          quant: { scale: quant.x?.[0] ?? 0.05, zeroPoint: quant.x?.[1] ?? 0 },
        },
        {
          name: 'yq',
          shape: outShape,
          dtype: 'i8',
          quant: { scale: quant.y?.[0] ?? 0.05, zeroPoint: quant.y?.[1] ?? 0 },
        },
        { name: 'y', shape: outShape, dtype: 'f32' },
      ],
      inputs: ['x'],
      outputs: ['y'],
      ops: [
        { op: 'quantize', inputs: ['x'], output: 'xq' },
        { inputs: ['xq'], output: 'yq', ...op } as unknown as QModelHeader['ops'][number],
        { op: 'dequantize', inputs: ['yq'], output: 'y' },
      ],
      meta: {},
    },
    sections,
  );

/**
 * {@link mixedModelBytes} with every conv2d and dense op in the 7-bit form (`bits: 7`, a version-2
 * file): int8 codes halved into [−64, 63] (scales doubled), int4 codes times 8 (scales divided by
 * 8), so the layers keep their spread. The depthwise op stays int8.
 */
export const int7ModelBytes = (seed = 1): Uint8Array =>
  reencodeModel(mixedModelBytes(seed), (header, sections) => {
    for (const op of header['ops'] as { op: string; bits?: number; weights: number; scales: number }[]) {
      if (op.op !== 'conv2d' && op.op !== 'dense') continue;
      const w = sections[op.weights]!;
      const s = sections[op.scales] as Float32Array;
      if (op.bits === 4) {
        sections[op.weights] = Int8Array.from(unpackInt4(w as Uint8Array, 2 * w.length), (v) => v * 8);
        sections[op.scales] = s.map((x) => x / 8);
      } else {
        sections[op.weights] = (w as Int8Array).map((v) => v >> 1);
        sections[op.scales] = s.map((x) => x * 2);
      }
      op.bits = 7;
    }
  });
