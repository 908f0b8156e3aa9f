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
import { sizeOf } from '../core/shape.js';
import { QOP_REGISTRY, type QOp } from './ops/builtinOps.js';
import type { QOpBase, TensorValue } from './ops/opDefinition.js';
import { bindOps, type OpRegistry } from './ops/opRegistry.js';
import { decodeQModel } from './qmodelFile.js';
import type { QModel } from './qmodelTypes.js';
import { checkRunOptions, runGuard, type RunGuard, type RunOptions } from './runGuard.js';

/** Options of {@link createExecutor}; the run options bound every inference. */
export interface ExecutorOptions extends RunOptions {
  /** The op registry the model was decoded with (default: the built-in ops). */
  readonly ops?: OpRegistry;
}

/** An executor of a model whose ops are `Op` (the built-in ops by default). */
export interface Executor<Op extends QOpBase = QOp> {
  readonly model: QModel<Op>;
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

/**
 * Creates an executor for a validated model; `options` bound every run (see {@link RunOptions}) and
 * name the op registry the model was decoded with, when not the built-in one.
 */
export const createExecutor = <Op extends QOpBase = QOp>(
  model: QModel<Op>,
  options: ExecutorOptions = {},
): Executor<Op> => {
  const defaults = checkRunOptions(options);
  const byName = new Map(model.header.tensors.map((t) => [t.name, t]));
  const inName = model.header.inputs[0]!;
  const inTensor = byName.get(inName)!;
  // Each op prepared once (weights unpacked), not per call.
  const steps = bindOps(model, options.ops ?? QOP_REGISTRY).map(({ op, def, tensors }) => ({
    op,
    step: def.reference(op, tensors),
  }));
  const nOps = steps.length;
  const runOne = (x: Float32Array, guard: RunGuard | null, first: number, total: number): Map<string, TensorValue> => {
    const vals = new Map<string, TensorValue>([[inName, x]]);
    steps.forEach(({ op, step }, k) => {
      guard?.(first + k, total);
      vals.set(op.output, step(op.inputs.map((n) => vals.get(n)!)));
    });
    return vals;
  };
  const inSize = sizeOf(inTensor.shape);
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
      for (const name of model.header.outputs) outs[name] = new Float32Array(batch * sizeOf(byName.get(name)!.shape));
      for (let i = 0; i < batch; i++) {
        const vals = runOne(input.subarray(i * inSize, (i + 1) * inSize), guard, i * nOps, batch * nOps);
        for (const name of model.header.outputs) {
          const n = sizeOf(byName.get(name)!.shape);
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
