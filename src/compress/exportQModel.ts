/**
 * Export a trained float student to a QModel: batch norm folded into its conv, activations calibrated
 * per tensor on a calibration set (every named layer's output, residual internals included), weights
 * quantized per output channel (int8, or int4 for chosen layers), biases as int32 at s_in·s_w, and the
 * ops of the runtime's graph. Signals ([L, C]) become [1, L, C] maps with [1, k] kernels.
 *
 * @example
 * const bytes = exportQModel(student, calibrationInputs, { calibration: { kind: 'percentile' } });
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { convOutSize } from '../core/shape.js';
import type { LayerSpec } from '../nn/layerSpec.js';
import type { Model } from '../nn/model.js';
import type { Network } from '../nn/network.js';
import type { ParamTree } from '../nn/paramTree.js';
import { BN_EPSILON } from '../nn/layers/batchNorm.js';
import { encodeQModel, type SectionData } from '../runtime/qmodelFile.js';
import type { QActivation, QModelHeader, QOp, QTensor, TensorQuant } from '../runtime/qmodelTypes.js';
import type { ActivationQuant } from './activationQuant.js';
import { calibrate, type CalibrationMethod, strideSample } from './calibration.js';
import { foldBatchNorm } from './foldBatchNorm.js';
import { packInt4, quantizeWeights, type WeightBits } from './weightQuant.js';

export interface ExportOptions {
  readonly calibration?: CalibrationMethod;
  /** Layers (by path, e.g. `encoder0/res2/a`) whose weights go to int4. */
  readonly int4Layers?: readonly string[];
  /**
   * Quantize the weights of every int8 conv and dense layer to the 7-bit form [−63, 63] (`bits: 7`),
   * which the relaxed int8 kernels run at twice the rate where the engine's probe passes; depthwise
   * layers stay int8 and int4 layers int4. The file is then version 2.
   */
  readonly int7?: boolean;
  /** Calibration samples per forward pass. */
  readonly batchSize?: number;
  /** At most this many values per tensor are kept for calibration (strided subsample). */
  readonly maxValuesPerTensor?: number;
  readonly meta?: Record<string, string | number>;
  /** Export the encoder alone: its only output is `feature` (one QModel per modality of a multi-modal runtime). */
  readonly encoderOnly?: boolean;
}

/** Runs the float model in inference mode and gathers values of every tapped tensor. */
const gatherActivations = (
  model: Model,
  inputs: tf.Tensor,
  batchSize: number,
  maxValues: number,
): Map<string, Float32Array> => {
  const n = inputs.shape[0]!;
  const chunks = new Map<string, Float32Array[]>();
  const add = (k: string, t: tf.Tensor) => {
    const arr = chunks.get(k) ?? [];
    arr.push(t.dataSync() as Float32Array);
    chunks.set(k, arr);
  };
  for (let start = 0; start < n; start += batchSize) {
    tf.tidy(() => {
      const x = tf.slice(inputs, start, Math.min(batchSize, n - start));
      add('input', x);
      const enc = model.encoders[0]!.applyWithTaps(x, { training: false });
      for (const [k, v] of enc.taps) add(`encoder0/${k}`, v);
      add('feature', enc.out);
      const head = model.head.applyWithTaps(enc.out, { training: false });
      for (const [k, v] of head.taps) add(`head/${k}`, v);
    });
  }
  const out = new Map<string, Float32Array>();
  for (const [k, parts] of chunks) out.set(k, strideSample(parts, maxValues));
  return out;
};

interface Builder {
  tensors: QTensor[];
  ops: QOp[];
  sections: SectionData[];
  quantOf: (tap: string) => ActivationQuant;
  int4: Set<string>;
  int7: boolean;
}

interface Cursor {
  name: string;
  shape: number[];
  quant: TensorQuant;
}

const variable = (p: ParamTree, k: string): Float32Array => (p[k] as tf.Variable).dataSync() as Float32Array;

/** Folded float weights and bias of a conv-like layer (BN folded when present). */
const foldedWeights = (params: ParamTree, state: ParamTree): { w: Float32Array; b: Float32Array } => {
  const w = variable(params, 'w');
  const bn = params['bn'] as ParamTree | undefined;
  if (!bn) return { w, b: variable(params, 'b') };
  const st = state['bn'] as ParamTree;
  return foldBatchNorm({
    w,
    b: null,
    gamma: variable(bn, 'gamma'),
    beta: variable(bn, 'beta'),
    mean: variable(st, 'mean'),
    variance: variable(st, 'variance'),
    epsilon: BN_EPSILON,
  });
};

const addTensor = (b: Builder, name: string, shape: number[], quant: TensorQuant): Cursor => {
  b.tensors.push({ name, shape, dtype: 'i8', quant });
  return { name, shape, quant };
};

/** Appends weight, scale and bias sections for a [..., Cout] weight tensor. */
const weightSections = (
  b: Builder,
  path: string,
  w: Float32Array,
  bias: Float32Array,
  cout: number,
  inScale: number,
  int8Only = false,
): { weights: number; scales: number; bias: number; bits: WeightBits } => {
  const bits: WeightBits = int8Only ? 8 : b.int4.has(path) ? 4 : b.int7 ? 7 : 8;
  const qw = quantizeWeights(w, cout, bits);
  const qb = new Int32Array(cout);
  for (let o = 0; o < cout; o++) {
    const sb = Math.fround(inScale * qw.scales[o]!);
    const v = Math.round(bias[o]! / sb);
    if (!Number.isFinite(v) || Math.abs(v) > 2 ** 31 - 1)
      throw kapriError('Unsupported', `layer '${path}': the bias does not fit int32 at scale ${sb}`);
    qb[o] = v;
  }
  const base = b.sections.length;
  b.sections.push(bits === 4 ? packInt4(qw.q) : qw.q, qw.scales, qb);
  return { weights: base, scales: base + 1, bias: base + 2, bits };
};

const activationOf = (spec: { activation?: QActivation }): QActivation => spec.activation ?? 'none';

const emitLayers = (
  b: Builder,
  prefix: string,
  layers: readonly LayerSpec[],
  params: ParamTree,
  state: ParamTree,
  at: Cursor,
  signal: boolean,
): Cursor => {
  let cur = at;
  for (const spec of layers) {
    const path = 'name' in spec ? `${prefix}/${spec.name}` : prefix;
    switch (spec.kind) {
      case 'conv2d':
      case 'conv1d': {
        const p = params[spec.name] as ParamTree;
        const s = state[spec.name] as ParamTree;
        const [h, w] = cur.shape as [number, number, number];
        const k = spec.kernel;
        const st = spec.stride ?? 1;
        const pad = spec.padding ?? 'same';
        const kernel: [number, number] = spec.kind === 'conv1d' ? [1, k] : [k, k];
        const stride: [number, number] = spec.kind === 'conv1d' ? [1, st] : [st, st];
        const f = foldedWeights(p, s);
        const outShape = [
          convOutSize(h, kernel[0], stride[0], pad),
          convOutSize(w, kernel[1], stride[1], pad),
          spec.filters,
        ];
        const out = addTensor(b, path, outShape, b.quantOf(path));
        const sec = weightSections(b, path, f.w, f.b, spec.filters, cur.quant.scale);
        b.ops.push({
          op: 'conv2d',
          inputs: [cur.name],
          output: out.name,
          kernel,
          stride,
          padding: pad,
          activation: activationOf(spec),
          ...sec,
        });
        cur = out;
        break;
      }
      case 'depthwise': {
        const p = params[spec.name] as ParamTree;
        const s = state[spec.name] as ParamTree;
        const [h, w, c] = cur.shape as [number, number, number];
        const st = spec.stride ?? 1;
        const f = foldedWeights(p, s);
        const out = addTensor(
          b,
          path,
          [convOutSize(h, 3, st, 'same'), convOutSize(w, 3, st, 'same'), c],
          b.quantOf(path),
        );
        const sec = weightSections(b, path, f.w, f.b, c, cur.quant.scale, !b.int4.has(path));
        if (sec.bits !== 8) throw kapriError('Unsupported', `depthwise layer '${path}' runs in int8 only`);
        b.ops.push({
          op: 'depthwise3x3',
          inputs: [cur.name],
          output: out.name,
          stride: st as 1 | 2,
          activation: activationOf(spec),
          weights: sec.weights,
          scales: sec.scales,
          bias: sec.bias,
        });
        cur = out;
        break;
      }
      case 'dense': {
        const p = params[spec.name] as ParamTree;
        if (cur.shape.length !== 1)
          throw kapriError('Unsupported', `dense layer '${path}' needs a flat input in the runtime`);
        const out = addTensor(b, path, [spec.units], b.quantOf(path));
        const sec = weightSections(b, path, variable(p, 'w'), variable(p, 'b'), spec.units, cur.quant.scale);
        b.ops.push({ op: 'dense', inputs: [cur.name], output: out.name, activation: activationOf(spec), ...sec });
        cur = out;
        break;
      }
      case 'maxPool':
      case 'avgPool': {
        const [h, w, c] = cur.shape as [number, number, number];
        const size: [number, number] = signal ? [1, spec.size] : [spec.size, spec.size];
        const s0 = spec.stride ?? spec.size;
        const stride: [number, number] = signal ? [1, s0] : [s0, s0];
        const pad = spec.padding ?? 'same';
        const name = `${prefix}/${spec.kind}${b.ops.length}`;
        // Pooling keeps values inside the input's range: the output keeps the input's quantization.
        const out = addTensor(
          b,
          name,
          [convOutSize(h, size[0], stride[0], pad), convOutSize(w, size[1], stride[1], pad), c],
          cur.quant,
        );
        b.ops.push({ op: spec.kind, inputs: [cur.name], output: out.name, size, stride, padding: pad });
        cur = out;
        break;
      }
      case 'globalAvgPool': {
        const name = `${prefix}/gap${b.ops.length}`;
        const out = addTensor(b, name, [cur.shape[2]!], cur.quant);
        b.ops.push({ op: 'globalAvgPool', inputs: [cur.name], output: out.name });
        cur = out;
        break;
      }
      case 'residual': {
        const p = params[spec.name] as ParamTree;
        const s = state[spec.name] as ParamTree;
        const body = emitLayers(b, path, spec.body, p['body'] as ParamTree, s['body'] as ParamTree, cur, signal);
        let shortcut = cur;
        const w = p['shortcut'] as tf.Variable | undefined;
        if (w) {
          const cout = body.shape[2]!;
          const sc = addTensor(b, `${path}/shortcut`, body.shape, b.quantOf(`${path}/shortcut`));
          const sec = weightSections(
            b,
            `${path}/shortcut`,
            w.dataSync() as Float32Array,
            new Float32Array(cout),
            cout,
            cur.quant.scale,
          );
          const stride = cur.shape[0]! / body.shape[0]!;
          b.ops.push({
            op: 'conv2d',
            inputs: [cur.name],
            output: sc.name,
            kernel: [1, 1],
            stride: [stride, stride],
            padding: 'same',
            activation: 'none',
            ...sec,
          });
          shortcut = sc;
        }
        const out = addTensor(b, path, body.shape, b.quantOf(path));
        b.ops.push({ op: 'add', inputs: [body.name, shortcut.name], output: out.name, activation: activationOf(spec) });
        cur = out;
        break;
      }
      case 'flatten':
        throw kapriError('Unsupported', `flatten is not in the runtime's op set; end encoders with globalAvgPool`);
    }
  }
  return cur;
};

/** Exports a single-encoder model to QModel bytes, calibrating on `calibrationInputs` ([N, ...inputShape]). */
export const exportQModel = (model: Model, calibrationInputs: tf.Tensor, options: ExportOptions = {}): Uint8Array => {
  if (model.encoders.length !== 1)
    throw kapriError(
      'Unsupported',
      `export handles one encoder per model (one QModel per modality); '${model.name}' has ${model.encoders.length}`,
    );
  const enc: Network = model.encoders[0]!;
  const signal = enc.spec.inputShape.length === 2;
  const method = options.calibration ?? { kind: 'percentile' };
  const acts = gatherActivations(
    model,
    calibrationInputs,
    options.batchSize ?? 64,
    options.maxValuesPerTensor ?? 200_000,
  );
  const quantOf = (tap: string): ActivationQuant => {
    const v = acts.get(tap);
    if (!v) throw kapriError('Unsupported', `no calibration data for '${tap}'`);
    return calibrate(v, method);
  };
  const b: Builder = {
    tensors: [],
    ops: [],
    sections: [],
    quantOf,
    int4: new Set(options.int4Layers ?? []),
    int7: options.int7 ?? false,
  };
  const inShape = signal ? [1, ...enc.spec.inputShape] : [...enc.spec.inputShape];
  b.tensors.push({ name: 'input', shape: inShape, dtype: 'f32' });
  const xq = addTensor(b, 'input_q', inShape, quantOf('input'));
  b.ops.push({ op: 'quantize', inputs: ['input'], output: 'input_q' });
  const feat = emitLayers(b, 'encoder0', enc.spec.layers, enc.params, enc.state, xq, signal);
  b.tensors.push({ name: 'feature', shape: feat.shape, dtype: 'f32' });
  b.ops.push({ op: 'dequantize', inputs: [feat.name], output: 'feature' });
  if (!options.encoderOnly) {
    const out = emitLayers(b, 'head', model.head.spec.layers, model.head.params, model.head.state, feat, false);
    b.tensors.push({ name: 'output', shape: out.shape, dtype: 'f32' });
    b.ops.push({ op: 'dequantize', inputs: [out.name], output: 'output' });
  }
  const header: Omit<QModelHeader, 'sections'> = {
    name: model.name,
    producer: 'kapri',
    tensors: b.tensors,
    inputs: ['input'],
    outputs: options.encoderOnly ? ['feature'] : ['output', 'feature'],
    ops: b.ops,
    meta: { ...(options.meta ?? {}), inputLayout: signal ? 'signal [L, C] as [1, L, C]' : 'image [H, W, C]' },
  };
  return encodeQModel(header, b.sections);
};
