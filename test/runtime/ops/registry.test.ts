/**
 * The op registry: every built-in op round-trips encode → decode → encode to the same bytes and runs
 * to the same bits on both engines, and an op defined outside the runtime (clampOp.ts, one file) is
 * added with one registration line and then decodes, validates and runs on both engines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createRng } from '../../../src/core/rng.js';
import { isKapriError } from '../../../src/core/errors.js';
import { loadKernels, type KernelModule } from '../../../src/kernels/loader.js';
import { createExecutor } from '../../../src/runtime/executor.js';
import { createKernelExecutor } from '../../../src/runtime/kernelExecutor.js';
import { QOP_REGISTRY, type QOp } from '../../../src/runtime/ops/builtinOps.js';
import { createOpRegistry, extendOpRegistry, type OpRegistry } from '../../../src/runtime/ops/opRegistry.js';
import { decodeQModel, decodeQModelWith, encodeQModel, type SectionData } from '../../../src/runtime/qmodelFile.js';
import type { QModel, QModelHeader, QTensor } from '../../../src/runtime/qmodelTypes.js';
import { bits } from '../../support/values.js';
import { clampOp, type ClampOp } from './clampOp.js';

let k: KernelModule;
beforeAll(async () => {
  k = await loadKernels({ build: 'simd' });
});

const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
const rng = createRng(20);
const i8 = (n: number) => Int8Array.from({ length: n }, () => rng.int(255) - 127);
const u8 = (n: number) => Uint8Array.from({ length: n }, () => rng.int(256));
const scales = (n: number) => Float32Array.from({ length: n }, () => 0.002 + rng.uniform() * 0.01);
const biases = (n: number) => Int32Array.from({ length: n }, () => rng.int(2000) - 1000);

/** One op between a quantize and a dequantize: the tensors it adds, the op as the decoder rebuilds it (same keys, same order), its sections. */
interface OpCase {
  readonly inShape: readonly number[];
  readonly out: QTensor;
  readonly op: QOp;
  readonly sections: SectionData[];
}

const image = [4, 4, 2];
const io = { inputs: ['xq'], output: 'o' };
const CASES: Record<QOp['op'], OpCase[]> = {
  quantize: [],
  dequantize: [],
  conv2d: [8, 4].map((b) => ({
    inShape: image,
    out: { name: 'o', shape: [4, 4, 3], dtype: 'i8', quant: q(0.05, -3) },
    op: {
      op: 'conv2d',
      ...io,
      kernel: [3, 3],
      stride: [1, 1],
      padding: 'same',
      bits: b as 8 | 4,
      activation: 'relu',
      weights: 0,
      scales: 1,
      bias: 2,
    },
    sections: [b === 8 ? i8(54) : u8(27), scales(3), biases(3)],
  })),
  depthwise3x3: [
    {
      inShape: image,
      out: { name: 'o', shape: [2, 2, 2], dtype: 'i8', quant: q(0.04, 2) },
      op: { op: 'depthwise3x3', ...io, stride: 2, activation: 'relu6', weights: 0, scales: 1, bias: 2 },
      sections: [i8(18), scales(2), biases(2)],
    },
  ],
  depthwise: [
    {
      inShape: image,
      out: { name: 'o', shape: [4, 2, 4], dtype: 'i8', quant: q(0.04, -3) },
      op: {
        op: 'depthwise',
        ...io,
        kernel: [3, 3],
        stride: [1, 2],
        dilation: [2, 1],
        padding: 'same',
        multiplier: 2,
        activation: 'relu',
        weights: 0,
        scales: 1,
        bias: 2,
      },
      sections: [i8(36), scales(4), biases(4)],
    },
    {
      inShape: image,
      out: { name: 'o', shape: [3, 2, 6], dtype: 'i8', quant: q(0.05, 1) },
      op: {
        op: 'depthwise',
        ...io,
        kernel: [2, 3],
        stride: [1, 1],
        dilation: [1, 1],
        padding: 'valid',
        multiplier: 3,
        activation: 'none',
        weights: 0,
        scales: 1,
        bias: 2,
      },
      sections: [i8(36), scales(6), biases(6)],
    },
  ],
  dense: [8, 4].map((b) => ({
    inShape: [6],
    out: { name: 'o', shape: [3], dtype: 'i8', quant: q(0.06, 0) },
    op: { op: 'dense', ...io, bits: b as 8 | 4, activation: 'none', weights: 0, scales: 1, bias: 2 },
    sections: [b === 8 ? i8(18) : u8(9), scales(3), biases(3)],
  })),
  maxPool: [
    {
      inShape: image,
      out: { name: 'o', shape: [2, 2, 2], dtype: 'i8', quant: q(0.05, 0) },
      op: { op: 'maxPool', ...io, size: [2, 2], stride: [2, 2], padding: 'valid' },
      sections: [],
    },
  ],
  avgPool: [
    {
      inShape: image,
      out: { name: 'o', shape: [2, 2, 2], dtype: 'i8', quant: q(0.03, 1) },
      op: { op: 'avgPool', ...io, size: [3, 3], stride: [2, 2], padding: 'same' },
      sections: [],
    },
  ],
  globalAvgPool: [
    {
      inShape: image,
      out: { name: 'o', shape: [2], dtype: 'i8', quant: q(0.02, -1) },
      op: { op: 'globalAvgPool', ...io },
      sections: [],
    },
  ],
  add: [
    {
      inShape: image,
      out: { name: 'o', shape: image, dtype: 'i8', quant: q(0.08, 5) },
      op: { op: 'add', inputs: ['xq', 'xq'], output: 'o', activation: 'relu' },
      sections: [],
    },
  ],
};

/** x (f32) → quantize → xq → [the op] → dequantize → y (f32); without an op, xq is dequantized directly. */
const headerOf = <Op extends { op: string; inputs: readonly string[]; output: string }>(
  inShape: readonly number[],
  middle?: { out: QTensor; op: Op },
): Omit<QModelHeader<QOp | Op>, 'sections'> => {
  const last = middle?.out ?? { name: 'xq', shape: inShape, dtype: 'i8' as const, quant: q(0.05, 0) };
  return {
    name: 'op-case',
    producer: 'test',
    tensors: [
      { name: 'x', shape: inShape, dtype: 'f32' },
      { name: 'xq', shape: inShape, dtype: 'i8', quant: q(0.05, 0) },
      ...(middle ? [middle.out] : []),
      { name: 'y', shape: last.shape, dtype: 'f32' },
    ],
    inputs: ['x'],
    outputs: ['y'],
    ops: [
      { op: 'quantize', inputs: ['x'], output: 'xq' },
      ...(middle ? [middle.op] : []),
      { op: 'dequantize', inputs: [last.name], output: 'y' },
    ],
    meta: {},
  };
};

const inputOf = (shape: readonly number[], batch: number): Float32Array =>
  Float32Array.from({ length: batch * shape.reduce((a, b) => a * b, 1) }, (_, i) => 6 * Math.sin(i * 0.7 + 0.3));

/** Runs `model` on both engines and expects the same bits; returns them. */
const runBoth = (model: QModel<QOp | ClampOp>, ops: OpRegistry = QOP_REGISTRY): number[] => {
  const x = inputOf(model.header.tensors[0]!.shape, 2);
  const want = createExecutor(model, { ops }).run(x, 2)['y']!;
  const exe = createKernelExecutor(model, k, { ops });
  try {
    expect(bits(exe.run(x, 2)['y']!)).toEqual(bits(want));
  } finally {
    exe.dispose();
  }
  return bits(want);
};

const extended = extendOpRegistry(QOP_REGISTRY, [clampOp]);

describe('op registry: the built-in ops', () => {
  it('has a round-trip case for every registered op (a new op needs one)', () => {
    const covered = Object.entries(CASES)
      .filter(([name, cases]) => cases.length > 0 || name === 'quantize' || name === 'dequantize')
      .map(([name]) => name);
    expect(covered.sort()).toEqual([...QOP_REGISTRY.names].sort());
  });

  const all = [
    { name: 'quantize + dequantize', header: headerOf(image), sections: [] as SectionData[] },
    ...Object.values(CASES)
      .flat()
      .map((c) => ({
        name: 'bits' in c.op ? `${c.op.op} int${c.op.bits}` : c.op.op,
        header: headerOf(c.inShape, c),
        sections: c.sections,
      })),
  ];
  it.each(all)(
    '$name: encode → decode → encode gives the same bytes, and both engines the same bits',
    ({ header, sections }) => {
      const bytes = encodeQModel(header as Omit<QModelHeader, 'sections'>, sections);
      const r = decodeQModel(bytes, 'case');
      if (E.isLeft(r)) throw r.left;
      expect(r.right.header.ops).toEqual(header.ops);
      const { sections: _, ...decoded } = r.right.header;
      expect(encodeQModel(decoded, r.right.sections)).toEqual(bytes);
      expect(r.right.cost.macs).toBeGreaterThan(0);
      runBoth(r.right);
    },
  );
});

describe('op registry: an op added outside the runtime', () => {
  const clampHeader = (lo: unknown, hi: unknown) =>
    headerOf(image, {
      out: { name: 'c', shape: image, dtype: 'i8', quant: q(0.05, 0) },
      op: { op: 'clamp', inputs: ['xq'], output: 'c', lo, hi } as unknown as ClampOp,
    });

  it('is one definition and one registration line: it decodes, validates and runs on both engines', () => {
    const bytes = encodeQModel<QOp | ClampOp>(clampHeader(-20, 40), []);
    const r = decodeQModelWith(extended, bytes, 'clamp.kapri');
    if (E.isLeft(r)) throw r.left;
    expect(r.right.header.ops.map((o) => o.op)).toEqual(['quantize', 'clamp', 'dequantize']);
    expect(r.right.cost.macs).toBe(3 * 32);
    const y = runBoth(r.right, extended);
    // the codes are clamped to [−20, 40] at scale 0.05: outputs lie in [−1, 2] and reach both ends
    const values = new Float32Array(Uint32Array.from(y).buffer);
    expect(Math.min(...values)).toBeCloseTo(-1, 6);
    expect(Math.max(...values)).toBeCloseTo(2, 6);
  });

  it('is refused by its own checks as CorruptModel, naming the op and the file', () => {
    const r = decodeQModelWith(extended, encodeQModel<QOp | ClampOp>(clampHeader(50, 40), []), 'clamp.kapri');
    expect(E.isLeft(r) && isKapriError(r.left, 'CorruptModel')).toBe(true);
    expect(E.isLeft(r) && r.left.message).toBe('model clamp.kapri: op 1: clamp needs codes -128 ≤ lo ≤ hi ≤ 127');
  });

  it('is an unknown op to the built-in registry, and an engine without it refuses the model', () => {
    const bytes = encodeQModel<QOp | ClampOp>(clampHeader(-20, 40), []);
    const r = decodeQModel(bytes, 'clamp.kapri');
    expect(E.isLeft(r) && r.left.message).toBe("model clamp.kapri: op 1: unknown op 'clamp'");
    const m = decodeQModelWith(extended, bytes);
    if (E.isLeft(m)) throw m.left;
    expect(() => createExecutor(m.right)).toThrow(/op 1 \('clamp'\) has no definition in this op registry/);
    expect(() => createKernelExecutor(m.right, k)).toThrow(/op 1 \('clamp'\) has no definition/);
  });

  it('cannot take a name that is already registered', () => {
    let e: unknown;
    try {
      extendOpRegistry(extended, [clampOp]);
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect(createOpRegistry([clampOp]).names).toEqual(['clamp']);
    expect(QOP_REGISTRY.get('clamp')).toBeUndefined();
  });
});
