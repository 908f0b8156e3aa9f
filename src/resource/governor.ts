/**
 * The runtime governor: holds the Pareto frontier computed once and re-plans when the budget changes
 * (battery, thermal or a co-running app), by a scan of the frontier: no re-measurement, microseconds.
 *
 * @example
 * const g = createGovernor(frontier);
 * const plan = g.update({ memoryBytes: 2e6, latencyMs: 5 });   // Either<KapriError, Plan>
 */
import * as E from 'fp-ts/lib/Either.js';
import type { KapriError } from '../core/errors.js';
import { bestPlan, type Budget, type Plan } from './allocator.js';
import type { DeviceProfile } from './deviceProfile.js';

export interface Governor {
  /** The plan for a new budget. */
  update(budget: Budget): E.Either<KapriError, Plan>;
  readonly frontier: readonly Plan[];
}

export const createGovernor = (frontier: readonly Plan[]): Governor => {
  const front = [...frontier];
  return { frontier: front, update: (budget) => bestPlan(front, budget) };
};

/**
 * A device's plan from the governor. Plan latencies are this machine's; a device at relative speed s
 * meets L ms when ours is ≤ L·s. `fixed` is what every plan also carries (a shared head, say): it is
 * taken off the budget and added to the plan returned. When nothing fits, the smallest plan (by
 * bytes), marked as not fitting.
 */
export const planForDevice = (
  g: Governor,
  d: DeviceProfile,
  fixed: { readonly bytes: number; readonly latencyMs: number } = { bytes: 0, latencyMs: 0 },
): { plan: Plan; fits: boolean } => {
  const r = g.update({
    memoryBytes: d.memoryBytes - fixed.bytes,
    latencyMs: d.latencyMs * d.relativeSpeed - fixed.latencyMs,
  });
  const withFixed = (p: Plan): Plan => ({
    ...p,
    bytes: p.bytes + fixed.bytes,
    latencyMs: p.latencyMs + fixed.latencyMs,
  });
  if (E.isRight(r)) return { plan: withFixed(r.right), fits: true };
  return {
    plan: withFixed([...g.frontier].sort((a, b) => a.bytes - b.bytes || a.latencyMs - b.latencyMs)[0]!),
    fits: false,
  };
};
