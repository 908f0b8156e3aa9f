/** End-point error of 3D keypoints: Euclidean distance per keypoint (mm), its mean and median. */
import { checkPair } from './checkPair.js';

/** Distances of each keypoint (flattened [n·joints, 3] → n·joints values). */
export const keypointErrors = (pred: ArrayLike<number>, truth: ArrayLike<number>): Float64Array => {
  const k = checkPair('EPE', pred, truth, 3);
  const d = new Float64Array(k);
  for (let i = 0; i < k; i++)
    d[i] = Math.hypot(
      pred[3 * i]! - truth[3 * i]!,
      pred[3 * i + 1]! - truth[3 * i + 1]!,
      pred[3 * i + 2]! - truth[3 * i + 2]!,
    );
  return d;
};

/** Mean and median EPE over all keypoints. */
export const epe = (pred: ArrayLike<number>, truth: ArrayLike<number>): { mean: number; median: number } => {
  const d = keypointErrors(pred, truth);
  const s = Float64Array.from(d).sort();
  const m = s.length >> 1;
  return { mean: d.reduce((a, b) => a + b, 0) / d.length, median: s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2 };
};
