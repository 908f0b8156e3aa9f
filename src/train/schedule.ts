/** Learning-rate schedules: constant, or cosine decay to `floor`·lr with a linear warm-up. */
export type Schedule =
  | { readonly kind: 'constant' }
  | { readonly kind: 'cosine'; readonly warmupSteps?: number; readonly floor?: number };

/** The learning rate at `step` (0-based) of `total` steps. */
export const learningRateAt = (schedule: Schedule, baseLr: number, step: number, total: number): number => {
  if (schedule.kind === 'constant') return baseLr;
  const warm = schedule.warmupSteps ?? 0;
  if (step < warm) return (baseLr * (step + 1)) / warm;
  const floor = schedule.floor ?? 0;
  const p = total - warm <= 1 ? 1 : (step - warm) / (total - warm - 1);
  return baseLr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, p))));
};
