/** Metrics: EPE, 3D PCK and its AUC, accuracy, macro-F1, MAE and RMSE. */
export * from './epe.js';
export * from './pck.js';
export * from './classification.js';
export * from './regression.js';
