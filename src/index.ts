/**
 * kapri: resource-aware cross-modal knowledge distillation for the edge.
 * The whole library: core types, kernels, the training backend (tfjs), and the stages as they land.
 */
export * from './core/index.js';
export * from './kernels/index.js';
export * from './backend/index.js';
