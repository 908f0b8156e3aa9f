/**
 * ONNX import: int8 ONNX models built here (QLinear and QDQ forms; int8 and uint8 activations;
 * per-tensor and per-channel weight scales; pads, strides, groups) run on kapri's kernel executor to
 * exactly the bits onnxruntime-web computes from the ONNX file, and an ONNX → kapri → ONNX round trip
 * keeps them; what kapri cannot run exactly is refused with a typed error naming the node.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isKapriError, unwrap } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { loadKernels, type KernelModule } from '../../src/kernels/loader.js';
import { exportOnnx } from '../../src/onnx/exportOnnx.js';
import { importOnnx } from '../../src/onnx/importOnnx.js';
import { createGraphBuilder } from '../../src/onnx/onnxGraphBuilder.js';
import { DataType, onnx } from '../../src/onnx/onnxProto.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import type { QModel } from '../../src/runtime/qmodelTypes.js';
import { thrown } from '../support/thrown.js';
import { bits, expectTag } from '../support/values.js';
import { loadOrt } from './ortWeb.js';
import {
  mlpModel,
  modelBytes,
  qdqModel,
  qdqResidualModel,
  qlinearModel,
  quantWriter,
  toNhwc,
  type QuantStyle,
} from './onnxModels.js';
import { randomQModel } from './randomQModel.js';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };

let kernels: KernelModule;
beforeAll(async () => {
  kernels = await loadKernels();
});

const STYLES: QuantStyle[] = [
  { uint8: false, perChannel: true },
  { uint8: false, perChannel: false },
  { uint8: true, perChannel: true },
  { uint8: true, perChannel: false },
];

const input = (n: number, seed: number, spread: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * spread);
};

const runKapri = (model: QModel, x: Float32Array, batch: number): Record<string, Float32Array> => {
  const exe = createKernelExecutor(model, kernels);
  try {
    return exe.run(x, batch);
  } finally {
    exe.dispose();
  }
};

const runOrt = async (bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<Record<string, Float32Array>> => {
  const ort = await loadOrt(bytes);
  try {
    return await ort.run(x, dims);
  } finally {
    await ort.release();
  }
};

/** Imports `onnxBytes`, runs it on kapri and onnxruntime-web (and kapri's re-export), and expects one set of bits. */
const expectImportExact = async (onnxBytes: Uint8Array, chw: [number, number, number], batch: number, seed: number) => {
  const [c, h, w] = chw;
  const x = input(batch * c * h * w, seed, 1.5);
  const want = (await runOrt(onnxBytes, x, [batch, c, h, w]))['y']!;
  const model = unwrap(decodeQModel(importOnnx(onnxBytes)));
  const nhwc = toNhwc(x, batch, c, h, w);
  const got = runKapri(model, nhwc, batch)['y']!;
  expect(bits(got)).toEqual(bits(want));
  // ONNX → kapri → ONNX: the re-exported graph (NHWC input) computes the same bits.
  const again = (await runOrt(exportOnnx(model), nhwc, [batch, h, w, c]))['y']!;
  expect(bits(again)).toEqual(bits(want));
  return { model, values: want.length };
};

describe('importOnnx → kapri equals onnxruntime-web', () => {
  it.each(STYLES.map((s) => [s.uint8 ? 'uint8' : 'int8', s.perChannel ? 'per-channel' : 'per-tensor', s] as const))(
    'QLinear form, %s activations, %s weight scales: conv, ReLU clip, depthwise, grouped, max pool, matmul',
    async (_, __, style) => {
      for (const seed of [1, 2, 3]) {
        const { model, values } = await expectImportExact(qlinearModel(seed, style), [4, 9, 9], 3, 10 + seed);
        expect(values).toBe(15);
        expect(model.header.ops.map((o) => o.op)).toEqual([
          'quantize',
          'conv2d',
          'depthwise3x3',
          'conv2d',
          'maxPool',
          'conv2d',
          'conv2d',
          'dequantize',
        ]);
        expect(model.header.ops[1]).toMatchObject({ activation: 'relu', padding: 'same' });
      }
    },
    60_000,
  );

  it.each(STYLES.map((s) => [s.uint8 ? 'uint8' : 'int8', s.perChannel ? 'per-channel' : 'per-tensor', s] as const))(
    'QDQ form, %s activations, %s weight scales: Conv + Relu, MaxPool, Gemm with bias, MatMul',
    async (_, __, style) => {
      for (const seed of [1, 2, 3]) {
        const { model } = await expectImportExact(qdqModel(seed, style), [3, 8, 8], 2, 20 + seed);
        expect(model.header.ops.map((o) => o.op)).toEqual([
          'quantize',
          'conv2d',
          'maxPool',
          'conv2d',
          'conv2d',
          'conv2d',
          'dequantize',
        ]);
        expect(model.header.ops[1]).toMatchObject({ activation: 'relu', stride: [2, 2], padding: 'same' });
      }
    },
    60_000,
  );

  it.each(STYLES.map((s) => [s.uint8 ? 'uint8' : 'int8', s.perChannel ? 'per-channel' : 'per-tensor', s] as const))(
    'vectors, %s activations, %s weight scales: QLinearMatMul + ReLU6 clip, 1×1 conv between Reshapes, QDQ Gemm + Relu',
    async (_, __, style) => {
      for (const seed of [1, 2, 3]) {
        const bytes = mlpModel(seed, style);
        const x = input(5 * 10, 40 + seed, 1.5);
        const want = (await runOrt(bytes, x, [5, 10]))['y']!;
        const model = unwrap(decodeQModel(importOnnx(bytes)));
        expect(model.header.ops.map((o) => [o.op, 'activation' in o ? o.activation : ''])).toEqual([
          ['quantize', ''],
          ['dense', 'relu6'],
          ['dense', 'none'],
          ['dense', 'relu'],
          ['dequantize', ''],
        ]);
        expect(bits(runKapri(model, x, 5)['y']!)).toEqual(bits(want));
        expect(bits((await runOrt(exportOnnx(model), x, [5, 10]))['y']!)).toEqual(bits(want));
      }
    },
    60_000,
  );

  it('imports what kapri exports — every op, the hands student — back to the same ops and the same bits', async () => {
    const hands = unwrap(decodeQModel(Uint8Array.from(atob(golden.model), (ch) => ch.charCodeAt(0))));
    const models = [hands, ...Array.from({ length: 12 }, (_, i) => randomQModel(i + 1))];
    for (const original of models) {
      const imported = unwrap(decodeQModel(importOnnx(exportOnnx(original))));
      expect(imported.header.ops.map((o) => o.op)).toEqual(original.header.ops.map((o) => o.op));
      const x = input(3 * imported.header.tensors[0]!.shape.reduce((a, b) => a * b, 1), 7, 3);
      const want = runKapri(original, x, 3);
      const got = runKapri(imported, x, 3);
      for (const name of original.header.outputs)
        expect(bits(got[name]!), `${original.header.name}: ${name}`).toEqual(bits(want[name]!));
    }
  }, 60_000);
});

describe('importOnnx refusals', () => {
  /** A one-conv QLinear model whose conv `edit` changes. */
  const oneConv = (
    edit: {
      pads?: readonly number[];
      wz?: number;
      op?: string;
      dilations?: readonly number[];
      nchwOutput?: boolean;
    } = {},
  ) => {
    const g = createGraphBuilder();
    const rng = createRng(1);
    const q = quantWriter(g, rng, { uint8: false, perChannel: true });
    g.io('input', 'x', DataType.FLOAT, [2, 5, 5]);
    g.io('output', 'y', DataType.FLOAT, edit.nchwOutput ? [3, 5, 5] : [5, 5, 3]);
    const [xs, xz] = q.act('xq', 0.02, 0);
    g.node('QuantizeLinear', ['x', xs, xz], ['xq']);
    const w = q.weights('c', [3, 2, 3, 3], 3);
    const wz = edit.wz === undefined ? w.wz : g.constant('bad.wz', new Int8Array(3).fill(edit.wz), [3]);
    const [ys, yz] = q.act('c', 0.05, 0);
    g.node(edit.op ?? 'QLinearConv', ['xq', xs, xz, w.w, w.ws, wz, ys, yz], ['c'], {
      kernel_shape: [3, 3],
      pads: edit.pads ?? [1, 1, 1, 1],
      ...(edit.dilations ? { dilations: edit.dilations } : {}),
    });
    if (edit.nchwOutput) g.node('DequantizeLinear', ['c', ys, yz], ['y']);
    else {
      g.node('Transpose', ['c'], ['c.nhwc'], { perm: [0, 2, 3, 1] });
      g.node('DequantizeLinear', ['c.nhwc', ys, yz], ['y']);
    }
    return modelBytes(g, 'one-conv');
  };

  /** The model with `edit` applied to its decoded ModelProto. */
  const patched = (bytes: Uint8Array, edit: (m: ReturnType<typeof onnx.ModelProto.decode>) => void): Uint8Array => {
    const m = onnx.ModelProto.decode(bytes);
    edit(m);
    return onnx.ModelProto.encode(m).finish();
  };

  it('refuses a tensor read with another quantization than it was written with, and a Clip that is no ReLU', () => {
    const rescaled = patched(mlpModel(1, { uint8: false, perChannel: true }), (m) => {
      // The 1×1 conv reads h1 with its own x_scale initializer: point it at another scale.
      const conv = m.graph!.node!.find((n) => n.opType === 'QLinearConv')!;
      conv.input![1] = 'xq.s';
    });
    expect(String(thrown(() => importOnnx(rescaled)))).toMatch(
      /reads 'h1' with scale 0\.019999.* but it was written with scale 0\.079999.*one quantization per tensor/,
    );
    const narrow = patched(mlpModel(1, { uint8: false, perChannel: true }), (m) => {
      m.graph!.initializer!.find((t) => t.name === 'lo')!.rawData = Uint8Array.of(10); // the int8 code 10
    });
    expect(String(thrown(() => importOnnx(narrow)))).toMatch(
      /\(Clip\): the clamp \[10, 71\] \(int8 codes\) is not a ReLU or ReLU6/,
    );
  });

  it('refuses Add and the average pools, which onnxruntime computes in float, naming the node', () => {
    expect(String(thrown(() => importOnnx(qdqResidualModel(1, { uint8: false, perChannel: true }))))).toMatch(
      /node 'Add:sum\.f' \(Add\): onnxruntime computes this op in float/,
    );
  });

  it('accepts the unedited model (so that each refusal below is about its edit)', () => {
    expect(() => importOnnx(oneConv())).not.toThrow();
  });

  it.each([
    ['asymmetric weights', { wz: 3 }, /node 'QLinearConv:c' \(QLinearConv\): weights 'c\.w' have zero point 3/],
    ['pads that are neither same nor valid', { pads: [2, 0, 0, 0] }, /pads \[2, 0, 0, 0\] are neither kapri's 'same'/],
    [
      'dilations on a conv that is not depthwise',
      { dilations: [2, 2] },
      /dilations \[2, 2\]: kapri runs dilated depthwise convolutions \(group = channels\) only/,
    ],
    ['an op kapri does not import', { op: 'ConvInteger' }, /\(ConvInteger\): is not an op kapri imports/],
  ] as const)('refuses %s naming the node', (_, edit, message) => {
    const bytes = oneConv(edit);
    expectTag(() => importOnnx(bytes), 'Unsupported');
    expect(String(thrown(() => importOnnx(bytes)))).toMatch(message);
  });

  it('refuses NCHW image outputs, dynamic shapes, foreign domains, other ops, and bytes that are not ONNX', () => {
    expect(String(thrown(() => importOnnx(oneConv({ nchwOutput: true }))))).toMatch(
      /graph output 'y': is NCHW with several channels and pixels/,
    );
    const dynamic = patched(oneConv(), (m) => {
      m.graph!.input![0]!.type!.tensorType!.shape!.dim![2] = { dimParam: 'H' };
    });
    expect(String(thrown(() => importOnnx(dynamic)))).toMatch(
      /graph input 'x': has a dynamic shape beyond the batch axis/,
    );
    const foreign = patched(oneConv(), (m) => {
      m.graph!.node![1]!.domain = 'com.microsoft';
    });
    expect(String(thrown(() => importOnnx(foreign)))).toMatch(/\(QLinearConv\): is in the domain 'com\.microsoft'/);
    const g = createGraphBuilder();
    g.io('input', 'x', DataType.FLOAT, [2, 5, 5]);
    g.io('output', 'y', DataType.FLOAT, [2, 5, 5]);
    g.node('Sigmoid', ['x'], ['y']);
    expect(String(thrown(() => importOnnx(modelBytes(g, 'sig'))))).toMatch(
      /node 'Sigmoid:y' \(Sigmoid\): is not an op kapri imports/,
    );
    expectTag(() => importOnnx(new Uint8Array([0xff, 0xff, 0xff, 0x0f, 1, 2, 3])), 'CorruptFile');
  });
});

describe('importOnnx on damaged files', () => {
  it('answers every byte-flipped model with a KapriError (never another error)', () => {
    const good = qlinearModel(1, { uint8: true, perChannel: true });
    const rng = createRng(99);
    const tags = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const bad = good.slice();
      for (let k = 0; k < 1 + rng.int(4); k++) bad[rng.int(bad.length)] = rng.int(256);
      const e = thrown(() => importOnnx(bad));
      if (e === undefined) continue; // a flip inside weight data leaves a valid model
      expect(isKapriError(e), String(e)).toBe(true);
      const tag = (e as { tag: string }).tag;
      tags.set(tag, (tags.get(tag) ?? 0) + 1);
    }
    expect([...tags.keys()].length).toBeGreaterThan(0);
  });
});
