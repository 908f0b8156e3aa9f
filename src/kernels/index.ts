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
