/**
 * What a model may cost before it is refused: the bytes of its file, the kernel-arena bytes it
 * plans, and the work of one inference. A file is data from anyone; without caps a few hundred
 * bytes could reserve gigabytes or run for minutes. Each cap can be raised (or set to Infinity).
 */
import { kapriError } from '../core/errors.js';

/** Caps checked while a model is read and decoded. */
export interface ModelLimits {
  /** Largest model file read or decoded, in bytes (default 256 MiB). */
  readonly maxFileBytes: number;
  /**
   * Largest kernel-arena footprint a model may plan, in bytes: every activation tensor (counted
   * without reuse), the conv input scratch and the packed weights (default 1 GiB).
   */
  readonly maxArenaBytes: number;
  /**
   * Most work one inference (one sample) may cost: multiply-accumulates of convs and dense layers,
   * one per window position visited by pooling, one per element of elementwise ops (default 1e10,
   * a few seconds of the kernels on one core).
   */
  readonly maxMacs: number;
}

export const DEFAULT_MODEL_LIMITS: ModelLimits = { maxFileBytes: 256 * 2 ** 20, maxArenaBytes: 2 ** 30, maxMacs: 1e10 };

/** The defaults with `given` over them; a cap must be a number > 0 (Infinity lifts it). */
export const resolveModelLimits = (given: Partial<ModelLimits> = {}): ModelLimits => {
  const limits = { ...DEFAULT_MODEL_LIMITS, ...given };
  for (const [key, v] of Object.entries(limits)) {
    if (typeof v !== 'number' || Number.isNaN(v) || v <= 0) {
      throw kapriError(
        'InvalidArgument',
        `limits.${key} must be a number > 0 (Infinity for no cap), got ${String(v)}`,
        { key, value: v },
      );
    }
  }
  return limits;
};

/** Refuses `amount` above `limits[key]`, naming the option that raises it. */
export const checkLimit = (limits: ModelLimits, key: keyof ModelLimits, amount: number, what: string): void => {
  if (amount > limits[key]) {
    throw kapriError(
      'OutOfBudget',
      `${what} is ${amount}, above the cap of ${limits[key]}; raise it with the option limits.${key} if the model is trusted`,
      {
        key,
        amount,
        cap: limits[key],
      },
    );
  }
};
