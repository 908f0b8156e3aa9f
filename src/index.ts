/**
 * kapri: resource-aware cross-modal knowledge distillation for the edge.
 * The whole library: core types, kernels, the training backend (tfjs), and the stages as they land.
 */
export * from './core/index.js';
export * from './kernels/index.js';
export * from './backend/index.js';
export * from './data/index.js';
export * from './scenarios/index.js';
export * from './nn/index.js';
export * from './train/metrics/index.js';
export { trainLoop, type TrainConfig, type TrainResult } from './train/trainLoop.js';
export * from './distill/index.js';
export * from './priors/index.js';
export * from './compress/index.js';
export * from './resource/index.js';
export {
  loadModel,
  createExecutor,
  executorFromBytes,
  decodeQModel,
  encodeQModel,
  type Executor,
} from './runtime/index.js';
export * from './pipeline/config.js';
export * from './pipeline/presets.js';
export { runPipeline, runPipelineOrThrow } from './pipeline/runPipeline.js';
