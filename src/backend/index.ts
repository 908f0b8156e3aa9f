/** tfjs-core set up for training on wasm, with the gradients and kernels it lacks. */
export { initTraining, type InitTrainingOptions, type TrainingBackend } from './initTraining.js';
export { registerGradients, gradientsBundleUrl } from './gradientsBundle.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasmTrainingKernels.js';
