/**
 * `kapri/runtime`: what an edge deployment loads — the kernels and their arena, nothing of tfjs.
 * The QModel executor joins this entry point with the runtime issue.
 */
export { loadKernels, defaultKernels, capabilities, type KernelModule, type LoadKernelsOptions } from '../kernels/loader.js';
export { quantizeF32, dequantizeS8, dotS8, type QuantParams } from '../kernels/qs8Quantize.js';
export { KapriError, isKapriError, type KapriErrorTag } from '../core/errors.js';
export { loadModel } from './loadModel.js';
export { createExecutor, executorFromBytes, type Executor } from './executor.js';
export { decodeQModel, encodeQModel, QMODEL_VERSION } from './qmodelFile.js';
export type { QModel, QModelHeader, QOp, QTensor, TensorQuant } from './qmodelTypes.js';
