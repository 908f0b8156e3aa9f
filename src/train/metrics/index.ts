/** Metrics: EPE, 3D PCK and its AUC, accuracy, macro-F1. */
export * from './epe.js';
export * from './pck.js';
export * from './classification.js';
