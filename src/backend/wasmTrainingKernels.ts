/** The training kernels tfjs-backend-wasm lacks (or gets wrong: MaxPoolGrad), registered on it once. */
import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './kernels/conv2dBackpropFilter.js';
import { conv2dBackpropInputConfig } from './kernels/conv2dBackpropInput.js';
import { depthwiseBackpropFilterConfig } from './kernels/depthwiseBackpropFilter.js';
import { depthwiseBackpropInputConfig } from './kernels/depthwiseBackpropInput.js';
import { maxPoolGradConfig } from './kernels/maxPoolGrad.js';
import { unsortedSegmentSumConfig } from './kernels/unsortedSegmentSum.js';

export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  unsortedSegmentSumConfig,
];

/**
 * Kernels wasm has but kapri replaces: MaxPoolGrad is wrong under asymmetric padding; Conv2DBackpropInput
 * is right but a slow loop next to wasm's forward convolution.
 */
export const WASM_REPLACED_KERNELS: readonly tf.KernelConfig[] = [maxPoolGradConfig, conv2dBackpropInputConfig];

const registered = new WeakSet<tf.KernelConfig>();

/** Registers the kernels that are not yet registered; returns their names. */
export const registerWasmTrainingKernels = (): string[] => {
  for (const k of [...WASM_TRAINING_KERNELS, ...WASM_REPLACED_KERNELS]) {
    if (registered.has(k)) continue;
    if (tf.getKernel(k.kernelName, 'wasm') !== undefined) tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel(k);
    registered.add(k);
  }
  return [...WASM_TRAINING_KERNELS, ...WASM_REPLACED_KERNELS].map((k) => k.kernelName);
};
