/**
 * The requantization contract (docs/methods.md §3; the arithmetic lives with the kernels' references)
 * and the fused ReLU / ReLU6 clamps in the quantized domain.
 */
import { roundHalfEven } from '../kernels/reference/rounding.js';
import type { QActivation, TensorQuant } from './qmodelTypes.js';

export { requantMultiplier, requantize } from '../kernels/reference/requantize.js';

/** [lo, hi] of the output codes after the fused activation. */
export const activationClamp = (a: QActivation, out: TensorQuant): [number, number] => {
  const lo = a === 'none' ? -128 : Math.max(-128, out.zeroPoint);
  const hi = a === 'relu6' ? Math.min(127, out.zeroPoint + roundHalfEven(6 / out.scale)) : 127;
  return [lo, hi];
};
