/**
 * `loadModel(source)`: reads a `model.kapri` from a path (Node), a URL (fetch) or bytes, validates it
 * and returns an executor on the SIMD kernels (or, with `engine: 'reference'`, on the JS reference
 * ops). Imports no tfjs.
 *
 * @example
 * const model = await loadModel('out/model.kapri');
 * const { output } = model.run(new Float32Array(model.inputShape.reduce((a, b) => a * b, 1)));
 * model.dispose();
 */
import * as E from 'fp-ts/lib/Either.js';
import { kapriError } from '../core/errors.js';
import { detectEnvironment, importNode } from '../kernels/environment.js';
import { defaultKernels, type KernelModule } from '../kernels/loader.js';
import type { Runner } from '../kernels/parallel.js';
import { createExecutor, type Executor } from './executor.js';
import { createKernelExecutor } from './kernelExecutor.js';
import { decodeQModel } from './qmodelFile.js';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** 'kernels' (default): the WebAssembly SIMD kernels; 'reference': the portable JS ops (same bits, slower). */
  readonly engine?: 'kernels' | 'reference';
  /** The kernel module to run on (default: the shared single-thread module). */
  readonly kernels?: KernelModule;
  /** A runner splitting kernel calls (a thread pool over a threads-build module). */
  readonly runner?: Runner;
}

const readSource = async (source: string | URL | Uint8Array | ArrayBuffer): Promise<{ bytes: Uint8Array; where?: string }> => {
  if (source instanceof Uint8Array) return { bytes: source };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source) };
  const where = typeof source === 'string' ? source : source.href;
  if (detectEnvironment() === 'node' && (typeof source === 'string' || source.protocol === 'file:')) {
    const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
    try {
      return { bytes: new Uint8Array(await fs.readFile(source)), where };
    } catch (e) {
      throw kapriError('Io', `cannot read model ${where}: ${(e as { code?: string }).code ?? (e as Error).message}`, { file: where });
    }
  }
  const res = await fetch(source).catch((e: Error) => {
    throw kapriError('Io', `cannot fetch model ${where}: ${e.message}`, { file: where });
  });
  if (!res.ok) throw kapriError('Io', `fetching model ${where} answered HTTP ${res.status}`, { file: where });
  return { bytes: new Uint8Array(await res.arrayBuffer()), where };
};

/** Loads, validates and plans a model (see the file comment). A bad file throws `CorruptModel`. */
export const loadModel = async (source: string | URL | Uint8Array | ArrayBuffer, options: LoadModelOptions = {}): Promise<Executor> => {
  const { bytes, where } = await readSource(source);
  const decoded = decodeQModel(bytes, where);
  if (E.isLeft(decoded)) throw decoded.left;
  if (options.engine === 'reference') return createExecutor(decoded.right);
  const kernels = options.kernels ?? (await defaultKernels());
  return createKernelExecutor(decoded.right, kernels, options.runner ? { runner: options.runner } : {});
};
