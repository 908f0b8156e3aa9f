/**
 * A tensor whose scale the ONNX graph fixes only where it is read. kapri's own export writes an
 * average pool as a conv whose declared output scale is f32(count·s_y), and an add as float ops whose
 * multipliers are f32(s_a/s_y), f32(s_b/s_y): the codes are determined, but s_y is seen only in the
 * readers' x_scale. Such a tensor gets a provisional quantization that the first reader's scale
 * replaces when it reproduces the same multipliers (so the codes stay the same bits), or, if no
 * reader gives one, the nearest float32 scale that does.
 */
import type { TensorQuant } from '../runtime/qmodelTypes.js';

const f = Math.fround;

/** Which quantizations of a tensor keep its producer's arithmetic. */
export interface Provisional {
  readonly accepts: (q: TensorQuant) => boolean;
  /** A quantization it accepts, for a tensor no reader pins. */
  readonly fallback: TensorQuant;
}

const bits = new Float32Array(1);
const ints = new Uint32Array(bits.buffer);
/** The float32 `k` ulps away from the positive float32 `x`. */
const ulps = (x: number, k: number): number => {
  bits[0] = x;
  ints[0] = ints[0]! + k;
  return bits[0]!;
};

/**
 * A provisional quantization with zero point `zeroPoint` whose scales `accepts` takes; `guess` is a
 * float scale near the answer. Null when no float32 within 256 ulps of the guess is accepted.
 */
export const provisional = (
  zeroPoint: number,
  guess: number,
  scaleOk: (scale: number) => boolean,
): Provisional | null => {
  const g = f(guess);
  for (let k = 0; k <= 256; k++) {
    for (const s of k === 0 ? [g] : [ulps(g, k), ulps(g, -k)]) {
      if (s > 0 && Number.isFinite(s) && scaleOk(s)) {
        return {
          accepts: (q) => q.zeroPoint === zeroPoint && scaleOk(f(q.scale)),
          fallback: { scale: s, zeroPoint },
        };
      }
    }
  }
  return null;
};

/** The scales of an average over `count` positions declared as a conv with output scale `declared`. */
export const averageScaleOk =
  (count: number, declared: number) =>
  (s: number): boolean =>
    f(f(count) * f(s)) === f(declared);

/** The scales of an add with multipliers `ma`, `mb` of inputs scaled `sa`, `sb`. */
export const addScaleOk =
  (sa: number, ma: number, sb: number, mb: number) =>
  (s: number): boolean =>
    f(f(sa) / f(s)) === f(ma) && f(f(sb) / f(s)) === f(mb);
