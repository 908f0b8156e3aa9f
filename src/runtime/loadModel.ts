/**
 * `loadModel(source)`: reads a `model.kapri` from a path (Node), a URL (fetch) or bytes, validates it
 * and returns an executor on the SIMD kernels (or, with `engine: 'reference'`, on the JS reference
 * ops). Imports no tfjs. A file is read with a cap, must be a regular file, and decodes only when it
 * runs on both engines within the limits (file bytes, arena bytes, work per inference); a run can be
 * bounded by an AbortSignal or a time budget.
 *
 * @example
 * const model = await loadModel('out/model.kapri', { timeoutMs: 100 });
 * const { output } = model.run(new Float32Array(model.inputShape.reduce((a, b) => a * b, 1)));
 * model.dispose();
 */
import * as E from 'fp-ts/lib/Either.js';
import { defaultKernels, type KernelModule } from '../kernels/loader.js';
import type { Runner } from '../kernels/parallel.js';
import { createExecutor, type Executor } from './executor.js';
import { createKernelExecutor } from './kernelExecutor.js';
import { readModelSource, type ModelSource } from './modelSource.js';
import { decodeQModel } from './qmodelFile.js';
import { resolveModelLimits, type ModelLimits } from './qmodelLimits.js';
import { checkRunOptions, type RunOptions } from './runGuard.js';

/** Options of {@link loadModel}; the run options (signal, timeoutMs) bound every inference. */
export interface LoadModelOptions extends RunOptions {
  /** 'kernels' (default): the WebAssembly SIMD kernels; 'reference': the portable JS ops (same bits, slower). */
  readonly engine?: 'kernels' | 'reference';
  /** The kernel module to run on (default: the runner's module, else the shared single-thread module). */
  readonly kernels?: KernelModule;
  /** A runner splitting kernel calls (a thread pool over a threads-build module); it must belong to `kernels`. */
  readonly runner?: Runner;
  /** Caps on the file and the model's cost (defaults in {@link DEFAULT_MODEL_LIMITS}); raise them for trusted large models. */
  readonly limits?: Partial<ModelLimits>;
}

/** Loads, validates and plans a model (see the file comment). A bad file throws `CorruptModel`. */
export const loadModel = async (source: ModelSource, options: LoadModelOptions = {}): Promise<Executor> => {
  const limits = resolveModelLimits(options.limits);
  checkRunOptions(options);
  const run = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
  const { bytes, where } = await readModelSource(source, limits.maxFileBytes);
  const decoded = decodeQModel(bytes, where, limits);
  if (E.isLeft(decoded)) throw decoded.left;
  if (options.engine === 'reference') return createExecutor(decoded.right, run);
  // A pool runs one module's kernels on that module's memory: without `kernels`, plan on its module
  // (createKernelExecutor refuses a runner of another module).
  const kernels = options.kernels ?? options.runner?.module ?? (await defaultKernels());
  return createKernelExecutor(decoded.right, kernels, {
    ...run,
    ...(options.runner !== undefined ? { runner: options.runner } : {}),
  });
};
