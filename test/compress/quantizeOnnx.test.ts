/**
 * A float ONNX model plus calibration samples → a QModel by kapri's own calibration: on float models
 * built here (Conv with pads, a depthwise Conv, ReLU / Clip, MaxPool, a residual Add, AveragePool,
 * GlobalAveragePool, Flatten, Gemm; and a MatMul MLP on a flat input), kapri's int8 outputs stay within
 * a stated tolerance of onnxruntime-web's float outputs on inputs calibration never saw; and what it
 * cannot take is refused with a typed error naming what was wrong.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/core/errors.js';
import { loadKernels, type KernelModule } from '../../src/kernels/loader.js';
import { quantizeOnnx } from '../../src/compress/quantizeOnnx.js';
import { isFloatOnnx } from '../../src/onnx/floatModel.js';
import { importOnnx } from '../../src/onnx/importOnnx.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { thrown } from '../support/thrown.js';
import { isKapriError } from '../../src/core/errors.js';
import { qdqModel, toNhwc } from '../onnx/onnxModels.js';
import { floatConvnet, floatMlp, uniform } from './floatOnnxModels.js';
import { loadOrt } from '../onnx/ortWeb.js';

/** `f` throws a KapriError of `tag` whose message matches `message`. */
const refused = (f: () => unknown, tag: string, message: RegExp): void => {
  const e = thrown(f);
  expect(isKapriError(e), String(e)).toBe(true);
  expect((e as { tag: string }).tag).toBe(tag);
  expect((e as Error).message).toMatch(message);
};

let kernels: KernelModule;
beforeAll(async () => {
  kernels = await loadKernels();
});

/** The largest |kapri int8 − onnxruntime float| over the outputs, and the float outputs' range. */
const compare = async (
  bytes: Uint8Array,
  calib: { data: Float32Array; shape: number[] },
  test: Float32Array,
  dims: number[],
  toKapri: (x: Float32Array) => Float32Array,
) => {
  const model = unwrap(decodeQModel(quantizeOnnx(bytes, calib)));
  const exe = createKernelExecutor(model, kernels);
  const got = exe.run(toKapri(test), dims[0]!)['y']!;
  exe.dispose();
  const ort = await loadOrt(bytes);
  const want = (await ort.run(test, dims))['y']!;
  await ort.release();
  expect(got.length).toBe(want.length);
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
  const range = Math.max(...want) - Math.min(...want);
  return { err, range, model };
};

describe('quantizeOnnx: a float ONNX model by kapri’s calibration', () => {
  it('runs a float convnet within 4% of its output range of onnxruntime-web’s float outputs (measured: 0.5%)', async () => {
    const bytes = floatConvnet();
    expect(isFloatOnnx(bytes)).toBe(true);
    const calib = { data: uniform(64 * 3 * 12 * 12, 1), shape: [64, 3, 12, 12] };
    const n = 16;
    const { err, range, model } = await compare(bytes, calib, uniform(n * 3 * 12 * 12, 2), [n, 3, 12, 12], (x) =>
      toNhwc(x, n, 3, 12, 12),
    );
    expect(range).toBeGreaterThan(0.5);
    expect(err / range).toBeLessThan(0.04);
    const ops = model.header.ops.map((o) => o.op);
    for (const op of ['quantize', 'conv2d', 'maxPool', 'depthwise3x3', 'add', 'avgPool', 'dequantize'])
      expect(ops).toContain(op);
    // the fused activations came through
    expect(model.header.ops.filter((o) => 'activation' in o && o.activation !== 'none').length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('runs a float MLP on a flat input within 4% of its output range (measured: 2.7%, outputs past the calibrated range saturate)', async () => {
    const calib = { data: uniform(128 * 16, 3), shape: [128, 16] };
    const n = 32;
    const { err, range } = await compare(floatMlp(), calib, uniform(n * 16, 4), [n, 16], (x) => x);
    expect(err / range).toBeLessThan(0.04);
  });

  it('is deterministic: the same model and samples give the same QModel bytes', () => {
    const calib = { data: uniform(8 * 16, 3), shape: [8, 16] };
    expect(quantizeOnnx(floatMlp(), calib)).toEqual(quantizeOnnx(floatMlp(), calib));
  });

  it('refuses samples of another shape, no samples, non-finite samples, and samples for an int8 model', () => {
    const bytes = floatConvnet();
    refused(
      () => quantizeOnnx(bytes, { data: uniform(4 * 12 * 12 * 3, 1), shape: [4, 12, 12, 3] }),
      'InvalidShape',
      /calibration samples have shape \[4, 12, 12, 3\]; the model's input takes \[N, 3, 12, 12\]/,
    );
    refused(
      () => quantizeOnnx(bytes, { data: new Float32Array(0), shape: [0, 3, 12, 12] }),
      'InvalidShape',
      /at least one sample/,
    );
    refused(
      () => quantizeOnnx(bytes, { data: new Float32Array(10), shape: [1, 3, 12, 12] }),
      'InvalidShape',
      /hold 10 values/,
    );
    const nan = uniform(3 * 12 * 12, 1);
    nan[7] = Number.NaN;
    refused(() => quantizeOnnx(bytes, { data: nan, shape: [1, 3, 12, 12] }), 'InvalidData', /value 7 is NaN/);
    const int8 = qdqModel(1, { uint8: false, perChannel: true });
    expect(isFloatOnnx(int8)).toBe(false);
    refused(
      () => quantizeOnnx(int8, { data: uniform(3 * 8 * 8, 1), shape: [1, 3, 8, 8] }),
      'InvalidArgument',
      /already quantized/,
    );
  });

  it('refuses ops it cannot take, naming the node', () => {
    const calib = { data: uniform(2 * 3 * 12 * 12, 1), shape: [2, 3, 12, 12] };
    refused(
      () => quantizeOnnx(floatConvnet({ sigmoid: true }), calib),
      'Unsupported',
      /node 'Sigmoid:r3' \(Sigmoid\): is not an op/,
    );
    refused(
      () => quantizeOnnx(floatConvnet({ paddedAverage: true }), calib),
      'Unsupported',
      /node 'AveragePool:a1' \(AveragePool\): a padded average/,
    );
  });

  it('makes importOnnx refuse a float model without samples, saying what to give', () => {
    refused(() => importOnnx(floatMlp()), 'Unsupported', /float model.*calibration samples/);
  });
});
