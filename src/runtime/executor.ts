/**
 * Runs a decoded QModel. Ops execute in file order (decoding guaranteed each input is defined first).
 * This executor uses the JS reference ops (the portable specification); `createKernelExecutor` runs
 * the same model on the SIMD kernels with the same bits.
 *
 * @example
 * const model = await loadModel('out/model.kapri');
 * const { output } = model.run(new Float32Array(32 * 32 * 3));
 */
import * as E from 'fp-ts/lib/Either.js';
import { kapriError } from '../core/errors.js';
import { refDequantizeS8, refQuantizeF32 } from '../kernels/reference/qs8Quantize.js';
import { weightsOf } from './kernelSpecs.js';
import { decodeQModel } from './qmodelFile.js';
import type { QModel, QTensor } from './qmodelTypes.js';
import {
  refAdd,
  refAvgPool,
  refConv2d,
  refDense,
  refDepthwise3x3,
  refGlobalAvgPool,
  refMaxPool,
} from './referenceOps.js';
import { checkRunOptions, runGuard, type RunGuard, type RunOptions } from './runGuard.js';

export interface Executor {
  readonly model: QModel;
  /** Shape of the input without the batch axis. */
  readonly inputShape: readonly number[];
  /**
   * Runs `batch` samples laid out back to back; returns every output tensor by name, batched the
   * same way. `options` bound the call (an AbortSignal, a time budget), checked between ops; a
   * stopped call throws `OutOfBudget`.
   */
  run(input: Float32Array, batch?: number, options?: RunOptions): Record<string, Float32Array>;
  /** Releases what the executor holds (kernel memory); it cannot run afterwards. */
  dispose(): void;
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const hwc = (t: QTensor): [number, number, number] => t.shape as unknown as [number, number, number];

/** Creates an executor for a validated model; `defaults` bound every run (see {@link RunOptions}). */
export const createExecutor = (model: QModel, defaults: RunOptions = {}): Executor => {
  checkRunOptions(defaults);
  const byName = new Map(model.header.tensors.map((t) => [t.name, t]));
  const inName = model.header.inputs[0]!;
  const inTensor = byName.get(inName)!;
  // Weights unpacked once, not per call.
  const weights = model.header.ops.map((op) =>
    op.op === 'conv2d' || op.op === 'dense' || op.op === 'depthwise3x3'
      ? weightsOf(model, op, byName.get(op.inputs[0]!)!, byName.get(op.output)!)
      : null,
  );
  const nOps = model.header.ops.length;
  const runOne = (
    x: Float32Array,
    guard: RunGuard | null,
    first: number,
    total: number,
  ): Map<string, Float32Array | Int8Array> => {
    const vals = new Map<string, Float32Array | Int8Array>([[inName, x]]);
    model.header.ops.forEach((op, k) => {
      guard?.(first + k, total);
      const t = (n: string) => byName.get(n)!;
      const v = (n: string) => vals.get(n)!;
      const out = t(op.output);
      const q = (n: string) => t(n).quant!;
      let y: Float32Array | Int8Array;
      switch (op.op) {
        case 'quantize':
          y = refQuantizeF32(v(op.inputs[0]!) as Float32Array, out.quant!.scale, out.quant!.zeroPoint);
          break;
        case 'dequantize':
          y = refDequantizeS8(v(op.inputs[0]!) as Int8Array, q(op.inputs[0]!).scale, q(op.inputs[0]!).zeroPoint);
          break;
        case 'conv2d':
          y = refConv2d({
            x: v(op.inputs[0]!) as Int8Array,
            inShape: hwc(t(op.inputs[0]!)),
            xq: q(op.inputs[0]!),
            w: weights[k]!,
            kernel: op.kernel,
            stride: op.stride,
            padding: op.padding,
            cout: out.shape[2]!,
            scales: model.sections[op.scales] as Float32Array,
            bias: model.sections[op.bias] as Int32Array,
            yq: out.quant!,
            activation: op.activation,
          });
          break;
        case 'depthwise3x3':
          y = refDepthwise3x3({
            x: v(op.inputs[0]!) as Int8Array,
            inShape: hwc(t(op.inputs[0]!)),
            xq: q(op.inputs[0]!),
            w: weights[k]!,
            stride: [op.stride, op.stride],
            scales: model.sections[op.scales] as Float32Array,
            bias: model.sections[op.bias] as Int32Array,
            yq: out.quant!,
            activation: op.activation,
          });
          break;
        case 'dense':
          y = refDense(
            v(op.inputs[0]!) as Int8Array,
            q(op.inputs[0]!),
            weights[k]!,
            out.shape[0]!,
            model.sections[op.scales] as Float32Array,
            model.sections[op.bias] as Int32Array,
            out.quant!,
            op.activation,
          );
          break;
        case 'maxPool':
          y = refMaxPool(v(op.inputs[0]!) as Int8Array, hwc(t(op.inputs[0]!)), op.size, op.stride, op.padding);
          break;
        case 'avgPool':
          y = refAvgPool(
            v(op.inputs[0]!) as Int8Array,
            hwc(t(op.inputs[0]!)),
            q(op.inputs[0]!),
            op.size,
            op.stride,
            op.padding,
            out.quant!,
          );
          break;
        case 'globalAvgPool':
          y = refGlobalAvgPool(v(op.inputs[0]!) as Int8Array, hwc(t(op.inputs[0]!)), q(op.inputs[0]!), out.quant!);
          break;
        case 'add':
          y = refAdd(
            v(op.inputs[0]!) as Int8Array,
            q(op.inputs[0]!),
            v(op.inputs[1]!) as Int8Array,
            q(op.inputs[1]!),
            out.quant!,
            op.activation,
          );
          break;
      }
      vals.set(op.output, y);
    });
    return vals;
  };
  const inSize = size(inTensor.shape);
  return {
    model,
    inputShape: inTensor.shape,
    run(input, batch = 1, options) {
      if (!(input instanceof Float32Array)) throw kapriError('InvalidShape', 'the model input must be a Float32Array');
      if (!Number.isInteger(batch) || batch < 1 || input.length !== batch * inSize) {
        throw kapriError(
          'InvalidShape',
          `the input must hold ${batch} × ${inSize} floats ([${inTensor.shape.join(', ')}] per sample), got ${input.length}`,
        );
      }
      const guard = runGuard(options, defaults);
      const outs: Record<string, Float32Array> = {};
      for (const name of model.header.outputs) outs[name] = new Float32Array(batch * size(byName.get(name)!.shape));
      for (let i = 0; i < batch; i++) {
        const vals = runOne(input.subarray(i * inSize, (i + 1) * inSize), guard, i * nOps, batch * nOps);
        for (const name of model.header.outputs) {
          const n = size(byName.get(name)!.shape);
          const v = vals.get(name)!;
          outs[name]!.set(v instanceof Float32Array ? v : Float32Array.from(v), i * n);
        }
      }
      return outs;
    },
    dispose() {},
  };
};

/** Decodes bytes into an executor; a bad file throws `CorruptModel`. */
export const executorFromBytes = (bytes: Uint8Array, source?: string): Executor => {
  const r = decodeQModel(bytes, source);
  if (E.isLeft(r)) throw r.left;
  return createExecutor(r.right);
};
