/** Functional layers and architectures: parameters are plain trees of tf.Variable. */
export * from './layerSpec.js';
export * from './paramTree.js';
export * from './network.js';
export * from './model.js';
export * from './architectures.js';
export * from './paramsFile.js';
export type { LayerContext } from './layers/layerContext.js';
export { BN_EPSILON, BN_MOMENTUM } from './layers/batchNorm.js';
