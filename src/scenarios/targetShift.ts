/**
 * The scale of an embedded scenario's stated source → target shift (`data.shift`, a generator's
 * `shift` option). Each scenario states which of its parameters differ between the source and the
 * target; at scale s each of them is `source·(1 − s) + target·s`: 1 (the default) is the stated
 * target exactly (the same bytes as a generator without the option), 0 draws the target from the
 * source's distribution (for the parts of the shift that are distributional: which patients or hands
 * are drawn, and a label convention such as hands' root joint, stay as they are), values between
 * interpolate and values above 1 extrapolate, clamped where a parameter would leave its valid range.
 */
import { kapriError } from '../core/errors.js';

/** The largest scale accepted: 4× the stated shift already pushes several parameters onto their clamps. */
export const SHIFT_MAX = 4;

/** A generator option: the scale of the scenario's stated source → target shift (default 1). */
export interface ShiftOption {
  /** In [0, SHIFT_MAX]; 1 = the stated target, 0 = the source's distribution (see src/scenarios/targetShift.ts). */
  readonly shift?: number;
}

/**
 * The shift a generator uses: `shift` when given (refused unless a finite number in [0, SHIFT_MAX],
 * naming the scenario), 1 otherwise.
 *
 * @example
 * resolveShift('hands', undefined); // 1
 * resolveShift('hands', -1);        // throws InvalidConfig: hands: shift must be a number in [0, 4], got -1
 */
export const resolveShift = (scenario: string, shift: number | undefined): number => {
  if (shift === undefined) return 1;
  if (typeof shift !== 'number' || !Number.isFinite(shift) || shift < 0 || shift > SHIFT_MAX)
    throw kapriError(
      'InvalidConfig',
      `${scenario}: shift must be a number in [0, ${SHIFT_MAX}] (1 = the stated target, 0 = the source's distribution), got ${String(shift)}`,
    );
  return shift;
};

/**
 * A shifted parameter: `source·(1 − s) + target·s`, clamped to `[lo, hi]` when given. Written so that
 * s = 1 gives exactly `target` and s = 0 exactly `source` (bit for bit, so that the default scale
 * draws the same bytes as the constant it replaces).
 *
 * @example
 * shifted(450, 600, 0.5); // 525
 * shifted(0.6, 0.9, 2, [0, 1]); // 1 (1.2 clamped)
 */
export const shifted = (
  source: number,
  target: number,
  s: number,
  [lo, hi]: readonly [number, number] = [-Infinity, Infinity],
): number => Math.max(lo, Math.min(hi, source * (1 - s) + target * s));

/** A shifted `[low, high]` range: each end shifted (and clamped) as `shifted` does. */
export const shiftedRange = (
  source: readonly [number, number],
  target: readonly [number, number],
  s: number,
  bounds?: readonly [number, number],
): [number, number] => [shifted(source[0], target[0], s, bounds), shifted(source[1], target[1], s, bounds)];
