/**
 * Per-layer sensitivity to quantization, HAWQ-v2 style with the Fisher in place of the Hessian:
 * s = trace(F) · ‖Q(W) − W‖², F the empirical diagonal Fisher of the layer's weights.
 * A mixed-precision choice then moves the least sensitive layers per byte saved to int4 until a byte
 * budget is met.
 */
import { kapriError } from '../core/errors.js';

export interface LayerSensitivityInput {
  readonly name: string;
  readonly params: number;
  /** trace of the layer's diagonal Fisher. */
  readonly fisherTrace: number;
  readonly errorInt8: number;
  readonly errorInt4: number;
}

export const sensitivity = (fisherTrace: number, quantError: number): number => fisherTrace * quantError;

/** Weight bytes of a layer: int8 = 1 byte, int4 = ½ byte per weight (per-channel scales not counted). */
const bytesAt = (params: number, bits: 8 | 4): number => (bits === 8 ? params : Math.ceil(params / 2));

/**
 * Chooses bits per layer so that weight bytes ≤ budget, moving to int4 the layers with the smallest
 * added sensitivity per byte saved first. Throws `OutOfBudget` when even all-int4 does not fit.
 */
export const chooseMixedPrecision = (
  layers: readonly LayerSensitivityInput[],
  budgetBytes: number,
): Record<string, 8 | 4> => {
  const bits: Record<string, 8 | 4> = Object.fromEntries(layers.map((l) => [l.name, 8 as const]));
  let bytes = layers.reduce((a, l) => a + bytesAt(l.params, 8), 0);
  const minBytes = layers.reduce((a, l) => a + bytesAt(l.params, 4), 0);
  if (minBytes > budgetBytes) {
    throw kapriError(
      'OutOfBudget',
      `weights need at least ${minBytes} bytes in int4, more than the ${budgetBytes}-byte budget`,
      { smallestMemoryBytes: minBytes },
    );
  }
  const order = [...layers].sort((a, b) => {
    const ca =
      (sensitivity(a.fisherTrace, a.errorInt4) - sensitivity(a.fisherTrace, a.errorInt8)) /
      Math.max(1, bytesAt(a.params, 8) - bytesAt(a.params, 4));
    const cb =
      (sensitivity(b.fisherTrace, b.errorInt4) - sensitivity(b.fisherTrace, b.errorInt8)) /
      Math.max(1, bytesAt(b.params, 8) - bytesAt(b.params, 4));
    return ca - cb;
  });
  for (const l of order) {
    if (bytes <= budgetBytes) break;
    bits[l.name] = 4;
    bytes -= bytesAt(l.params, 8) - bytesAt(l.params, 4);
  }
  return bits;
};
