/**
 * Mean absolute change between samples `stride` apart (adjacent pixels of one channel, consecutive
 * samples of a signal): noise, clutter and motion artifacts raise it.
 */
export const meanAbsStep = (x: Float32Array, stride: number): number => {
  let s = 0;
  for (let i = stride; i < x.length; i++) s += Math.abs(x[i]! - x[i - stride]!);
  return s / x.length;
};
