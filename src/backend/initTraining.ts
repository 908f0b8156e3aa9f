/**
 * Puts tfjs on a backend that can train: wasm (SIMD; threads are never used in Node) with every
 * gradient registered and the missing training kernels supplied; cpu only when wasm cannot load,
 * and then it says so.
 *
 * @example
 * const info = await initTraining();   // { backend: 'wasm', ... }
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from './gradientsBundle.js';
import { registerWasmTrainingKernels } from './wasmTrainingKernels.js';

export interface InitTrainingOptions {
  /** Force a backend; default 'wasm' (falls back to 'cpu' with a warning if wasm cannot load). */
  readonly backend?: 'wasm' | 'cpu';
  /** Browser only: the URL prefix serving tfjs-backend-wasm's dist/ files. */
  readonly wasmPaths?: string;
  /** Receives the fallback warning (default: console.warn). */
  readonly onWarning?: (message: string) => void;
}

export interface TrainingBackend {
  readonly backend: 'wasm' | 'cpu';
  /** Why the backend is not the one asked for, when it is not. */
  readonly fallbackReason: string | null;
  /** Kernels kapri supplies on wasm. */
  readonly suppliedKernels: readonly string[];
}

/** Sets up tfjs for training (idempotent; switching backends is allowed). */
export const initTraining = async (options: InitTrainingOptions = {}): Promise<TrainingBackend> => {
  await registerGradients();
  const suppliedKernels = registerWasmTrainingKernels();
  const want = options.backend ?? 'wasm';
  if (want === 'cpu') {
    await tf.setBackend('cpu');
    return { backend: 'cpu', fallbackReason: null, suppliedKernels };
  }
  if (options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
  let reason: string | null = null;
  try {
    if (!(await tf.setBackend('wasm'))) reason = 'tfjs could not initialise the wasm backend';
  } catch (e) {
    reason = (e as Error).message;
  }
  if (reason === null && tf.getBackend() === 'wasm') return { backend: 'wasm', fallbackReason: null, suppliedKernels };
  const message = `kapri: training on tfjs's cpu backend, which is much slower, because wasm did not load: ${reason ?? 'unknown reason'}`;
  (options.onWarning ?? console.warn)(message);
  await tf.setBackend('cpu');
  return { backend: 'cpu', fallbackReason: reason, suppliedKernels };
};
