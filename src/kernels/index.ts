/**
 * `kapri/kernels`: the WebAssembly SIMD kernels, their loader and arena, and JS references.
 * Imports nothing of tfjs.
 */
export { Arena, type Region } from './arena.js';
export { detectCapabilities, chooseBuild, type Capabilities, type KernelBuild } from './capabilities.js';
export { loadKernels, defaultKernels, capabilities, type KernelModule, type LoadKernelsOptions } from './loader.js';
export type { KernelExports } from './kernelExports.js';
export { defaultWasmUrl, type WasmSource } from './wasmBytes.js';
export { quantizeF32, dequantizeS8, dotS8, quantizeF32At, dequantizeS8At, type QuantParams } from './qs8Quantize.js';
export { refQuantizeF32, refDequantizeS8 } from './reference/qs8Quantize.js';
export { refDotS8 } from './reference/qs8Dot.js';
export { roundHalfEven } from './reference/rounding.js';
export { type ConvGeometry, type ConvLayout, convLayout } from './convGeometry.js';
export { type Runner, serialRunner } from './parallel.js';
export { createThreadPool, type SplitRecord, type ThreadPool, type ThreadPoolOptions } from './threadPool.js';
export {
  planQs8Conv2d,
  runQs8Conv2dAt,
  runQs8Conv2d,
  qs8Conv2d,
  disposeQs8Conv2d,
  conv1dAsConv2d,
  gemmAsConv2d,
  type Qs8ConvSpec,
  type Qs8ConvPlan,
  type Qs8ConvPlanOptions,
  type Qs8Conv1dSpec,
  type Qs8GemmSpec,
} from './qs8Conv.js';
export {
  planQs8Depthwise,
  runQs8DepthwiseAt,
  runQs8Depthwise,
  qs8Depthwise,
  disposeQs8Depthwise,
  type Qs8DepthwiseSpec,
  type Qs8DepthwisePlan,
} from './qs8Depthwise.js';
export {
  qs8MaxPool,
  qs8MaxPoolAt,
  qs8AvgPool,
  qs8AvgPoolAt,
  qs8GlobalAvgPool,
  globalPoolGeometry,
  qs8Add,
  qs8AddAt,
} from './qs8Pool.js';
export {
  gemmF32,
  gemmF32At,
  lowRankF32,
  lowRankF32At,
  l2NormalizeRowsF32,
  l2NormalizeRowsF32At,
  cosineRowsF32,
  cosineRowsF32At,
  rooflineF32,
  type GemmDims,
  type LowRankDims,
} from './f32.js';
export {
  minMaxF32,
  minMaxF32At,
  histogramF32,
  histogramF32At,
  quantizePerChannelF32,
  quantizePerChannelF32At,
  quantizeWeightsPerChannel,
  quantizeWeightsPerChannelAt,
  dequantizePerChannelS8,
  dequantizePerChannelS8At,
  weightScalesPerChannel,
  type MinMax,
  type HistogramRange,
  type PerChannelParams,
} from './calibration.js';
export { refQs8Conv2d, type RequantSpec } from './reference/qs8Conv.js';
export { refQs8Conv2dI7 } from './reference/qs8ConvI7.js';
export { isInt7Weights, relaxedDotTrusted, type Qs8ConvPath } from './qs8ConvRelaxed.js';
export { relaxedChoice, RELAXED_MIN_GAIN, type RelaxedChoice } from './relaxedChoice.js';
export { refQs8Depthwise } from './reference/qs8Depthwise.js';
export { refQs8MaxPool, refQs8AvgPool, type PoolQuant } from './reference/qs8Pool.js';
export { refQs8Add, type AddQuant } from './reference/qs8Add.js';
export { requantMultiplier, requantize } from './reference/requantize.js';
