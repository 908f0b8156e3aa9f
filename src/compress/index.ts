/** Compression: calibration, int8/int4 weights, batch-norm folding, pruning, sensitivity. */
export * from './activationQuant.js';
export * from './calibration.js';
export * from './weightQuant.js';
export * from './foldBatchNorm.js';
export * from './pruning.js';
export * from './channelPrune.js';
export * from './sensitivity.js';
export * from './exportQModel.js';
export { fitLinearAlignment, alignmentFromProjection, rSquared, type LinearAlignmentFit } from './alignmentFit.js';
