/**
 * ONNX export: onnxruntime-web (wasm, one thread, in Node) runs an exported model to exactly the bits
 * of kapri's kernel executor — on seeded random models of every built-in op, on the fixtures, on the
 * hands student, with inputs that saturate, sit on rounding ties or are NaN/±∞ — and the export
 * refuses, naming the op, what it cannot express exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { sizeOf } from '../../src/core/shape.js';
import { loadKernels } from '../../src/kernels/loader.js';
import type { KernelModule } from '../../src/kernels/loader.js';
import { exportOnnx, KAPRI_META_KEY } from '../../src/onnx/exportOnnx.js';
import { onnx } from '../../src/onnx/onnxProto.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import type { QModel } from '../../src/runtime/qmodelTypes.js';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };
import { branchyModelBytes, oneOpModelBytes, reencodeModel, smallModelBytes } from '../runtime/qmodelFixture.js';
import { importOnnx } from '../../src/onnx/importOnnx.js';
import { bits, expectTag } from '../support/values.js';
import { thrown } from '../support/thrown.js';
import { loadOrt } from './ortWeb.js';
import { randomQModel } from './randomQModel.js';

let kernels: KernelModule;
beforeAll(async () => {
  kernels = await loadKernels();
});
afterAll(() => undefined);

/** `batch` inputs of the model: seeded normals scaled past the int8 range, ties of the input quantization, NaN and ±∞. */
const inputsOf = (model: QModel, batch: number, seed: number): Float32Array => {
  const t = model.header.tensors.find((x) => x.name === model.header.inputs[0])!;
  const n = sizeOf(t.shape) * batch;
  const rng = createRng(seed);
  const q = model.header.tensors.find((x) => model.header.ops[0]!.output === x.name)!.quant!;
  const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30, 0, -0];
  return Float32Array.from({ length: n }, (_, i) => {
    const r = rng.uniform();
    if (i < special.length) return special[i]!;
    if (r < 0.2) return (rng.int(256) - 128 + 0.5) * q.scale; // a tie of the input quantization
    return rng.normal() * q.scale * 60;
  });
};

/** Kapri's kernel executor and onnxruntime-web on the exported model give the same bits for every output. */
const expectSameBits = async (model: QModel, batch: number, seed: number): Promise<number> => {
  const input = inputsOf(model, batch, seed);
  const exe = createKernelExecutor(model, kernels);
  const want = exe.run(input, batch);
  exe.dispose();
  const ort = await loadOrt(exportOnnx(model));
  const inShape = model.header.tensors.find((t) => t.name === model.header.inputs[0])!.shape;
  const got = await ort.run(input, [batch, ...inShape]);
  await ort.release();
  expect(Object.keys(got).sort()).toEqual([...model.header.outputs].sort());
  let values = 0;
  for (const name of model.header.outputs) {
    expect(bits(got[name]!), `${model.header.name}: output '${name}'`).toEqual(bits(want[name]!));
    values += want[name]!.length;
  }
  return values;
};

describe('exportOnnx → onnxruntime-web', () => {
  it('runs seeded random models of every built-in op to the kernel executor’s bits', async () => {
    const seen = new Set<string>();
    let values = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const model = randomQModel(seed);
      for (const op of model.header.ops) {
        seen.add(op.op);
        if ('activation' in op) seen.add(`${op.op}:${op.activation}`);
        if ('bits' in op) seen.add(`${op.op}:int${op.bits}`);
        if ('padding' in op) seen.add(`${op.op}:${op.padding}`);
      }
      values += await expectSameBits(model, 3, 100 + seed);
    }
    for (const k of [
      'quantize',
      'dequantize',
      'conv2d:int8',
      'conv2d:int4',
      'conv2d:same',
      'conv2d:valid',
      'conv2d:relu6',
      'depthwise3x3:relu',
      'depthwise3x3:relu6',
      'depthwise3x3:none',
      'dense:int4',
      'dense:int8',
      'dense:relu',
      'add:relu',
      'add:none',
      'maxPool:same',
      'maxPool:valid',
      'avgPool',
      'globalAvgPool',
    ])
      expect(seen, k).toContain(k);
    expect(values).toBeGreaterThan(1000);
  }, 120_000);

  it('runs depthwise ops with depth multipliers 1–3 and dilations 1–2 to the same bits, and imports them back to the same op', async () => {
    const rng = createRng(41);
    const cases = [
      { c: 4, m: 1, kernel: [3, 3], stride: [1, 1], dilation: [2, 2], padding: 'same' },
      { c: 3, m: 2, kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: 'same' },
      { c: 5, m: 3, kernel: [3, 2], stride: [1, 2], dilation: [2, 1], padding: 'valid' },
      { c: 2, m: 2, kernel: [5, 5], stride: [1, 1], dilation: [2, 2], padding: 'same' },
    ] as const;
    for (const [i, d] of cases.entries()) {
      const [h, w] = [11, 10];
      const span = (j: 0 | 1) => (d.kernel[j] - 1) * d.dilation[j] + 1;
      const out = (n: number, j: 0 | 1) =>
        d.padding === 'same' ? Math.ceil(n / d.stride[j]) : Math.floor((n - span(j)) / d.stride[j]) + 1;
      const co = d.c * d.m;
      const taps = d.kernel[0] * d.kernel[1];
      const model = unwrap(
        decodeQModel(
          oneOpModelBytes(
            [h, w, d.c],
            [out(h, 0), out(w, 1), co],
            {
              op: 'depthwise',
              kernel: d.kernel,
              stride: d.stride,
              dilation: d.dilation,
              padding: d.padding,
              multiplier: d.m,
              activation: i % 2 === 0 ? 'relu' : 'none',
              weights: 0,
              scales: 1,
              bias: 2,
            },
            [
              Int8Array.from({ length: taps * co }, () => rng.int(255) - 127),
              Float32Array.from({ length: co }, () => 0.002 + rng.uniform() * 0.01),
              Int32Array.from({ length: co }, () => rng.int(2000) - 1000),
            ],
            { x: [0.05, 3], y: [0.08, -5] },
          ),
        ),
      );
      expect(await expectSameBits(model, 2, 60 + i)).toBeGreaterThan(50);
      const back = unwrap(decodeQModel(importOnnx(exportOnnx(model))));
      expect(back.header.ops.map((o) => o.op)).toEqual(['quantize', 'depthwise', 'dequantize']);
      expect(back.header.ops[1]).toMatchObject({
        kernel: d.kernel,
        stride: d.stride,
        dilation: d.dilation,
        padding: d.padding,
        multiplier: d.m,
      });
      const x = inputsOf(model, 2, 90 + i);
      const a = createKernelExecutor(model, kernels);
      const b = createKernelExecutor(back, kernels);
      expect(bits(b.run(x, 2)['y']!)).toEqual(bits(a.run(x, 2)['y']!));
      a.dispose();
      b.dispose();
    }
  }, 60_000);

  it('runs the test fixtures (int4 weights, residual add, two outputs) to the same bits', async () => {
    for (const bytes of [smallModelBytes(3), branchyModelBytes(5)])
      await expectSameBits(unwrap(decodeQModel(bytes)), 4, 9);
  });

  it('runs the hands student of a kapri run to the same bits', async () => {
    const model = unwrap(decodeQModel(Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0))));
    expect(await expectSameBits(model, 2, 77)).toBeGreaterThan(100);
  }, 60_000);

  it('writes a standard opset-13 graph: QLinearConv with per-channel scales, Q/DQ at the edges, NHWC graph I/O', () => {
    const m = onnx.ModelProto.decode(exportOnnx(unwrap(decodeQModel(smallModelBytes()))));
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const types = (m.graph?.node ?? []).map((n) => n.opType);
    expect(types?.[0]).toBe('QuantizeLinear');
    expect(types?.at(-1)).toBe('DequantizeLinear');
    expect(types).toContain('QLinearConv');
    expect(types).toContain('MaxPool');
    const branchy = onnx.ModelProto.decode(exportOnnx(unwrap(decodeQModel(branchyModelBytes()))));
    expect((branchy.graph?.node ?? []).map((n) => n.opType)).toContain('Clip'); // the depthwise's ReLU6
    const graph = m.graph!;
    const conv = (graph.node ?? []).find((n) => n.opType === 'QLinearConv')!;
    const wScale = (graph.initializer ?? []).find((t) => t.name === conv.input?.[4])!;
    expect(wScale.dims?.map(Number)).toEqual([4]);
    expect(graph.input?.[0]?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual([
      'N',
      8,
      8,
      3,
    ]);
    expect(JSON.parse(m.metadataProps.find((p) => p.key === KAPRI_META_KEY)!.value!)).toMatchObject({
      name: 'fixture',
    });
  });
});

describe('exportOnnx refusals', () => {
  it('refuses an average pool whose same padding pads, naming the op', () => {
    const bytes = reencodeModel(branchyModelBytes(2), (h) => {
      const op = h['ops'].find((o: { op: string }) => o.op === 'avgPool');
      op.padding = 'same';
      op.stride = [1, 1];
      op.size = [2, 2];
      h['tensors'].find((t: { name: string }) => t.name === 'p').shape = [6, 6, 4];
    });
    const model = unwrap(decodeQModel(bytes));
    expectTag(() => exportOnnx(model), 'Unsupported');
    expect(String(thrown(() => exportOnnx(model)))).toMatch(/op 4 \(avgPool → 'p'\).*padding pads/);
  });

  it('refuses an op of another registry, naming it', () => {
    const model = unwrap(decodeQModel(smallModelBytes()));
    const ops = [...model.header.ops];
    ops[3] = { ...ops[3]!, op: 'neg' } as unknown as (typeof ops)[number];
    const forged = { ...model, header: { ...model.header, ops } } as QModel;
    expectTag(() => exportOnnx(forged), 'Unsupported');
    expect(String(thrown(() => exportOnnx(forged)))).toMatch(/op 3 \(neg → 'g'\): the op 'neg' has no ONNX export/);
  });
});
