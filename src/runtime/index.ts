/**
 * `kapri/runtime`: what an edge deployment loads — the kernels and their arena, nothing of tfjs.
 */
export {
  loadKernels,
  defaultKernels,
  capabilities,
  type KernelModule,
  type LoadKernelsOptions,
} from '../kernels/loader.js';
export { quantizeF32, dequantizeS8, dotS8, type QuantParams } from '../kernels/qs8Quantize.js';
export { KapriError, isKapriError, type KapriErrorTag } from '../core/errors.js';
export { loadModel, type LoadModelOptions } from './loadModel.js';
export { DEFAULT_MODEL_LIMITS, type ModelLimits } from './qmodelLimits.js';
export type { RunOptions } from './runGuard.js';
export {
  createKernelExecutor,
  kernelExecutorFromBytes,
  type KernelExecutor,
  type KernelExecutorOptions,
} from './kernelExecutor.js';
export { createThreadPool, type SplitRecord, type ThreadPool, type ThreadPoolOptions } from '../kernels/threadPool.js';
export type { Runner } from '../kernels/parallel.js';
export { createExecutor, executorFromBytes, type Executor, type ExecutorOptions } from './executor.js';
export { decodeQModel, decodeQModelWith, encodeQModel, QMODEL_VERSION } from './qmodelFile.js';
export type { ModelCost, QModel, QModelHeader, QOp, QTensor, TensorQuant } from './qmodelTypes.js';
export type { WeightBits } from './kernelSpecs.js';
export { BUILTIN_OPS, QOP_REGISTRY } from './ops/builtinOps.js';
export { createOpRegistry, extendOpRegistry, type OpRegistry } from './ops/opRegistry.js';
export type {
  KernelPlanInput,
  KernelStep,
  OpCost,
  OpDecodeInput,
  OpOf,
  OpTensors,
  QOpBase,
  QOpDefinition,
  ReferenceStep,
  TensorValue,
} from './ops/opDefinition.js';
export { planAlignment, checkAlignment, type AlignmentProjection, type PlannedAlignment } from './alignment.js';
export {
  createModalityRuntime,
  type ModalityRuntime,
  type ModalityRuntimeSpec,
  type ModalityResult,
} from './modalityRuntime.js';
