/**
 * The runtime governor: holds the Pareto frontier computed once and re-plans when the budget changes
 * (battery, thermal or a co-running app), by a scan of the frontier: no re-measurement, microseconds.
 *
 * @example
 * const g = createGovernor(frontier);
 * const plan = g.update({ memoryBytes: 2e6, latencyMs: 5 });   // Either<KapriError, Plan>
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { KapriError } from '../core/errors.js';
import { bestPlan, type Budget, type Plan } from './allocator.js';

export interface Governor {
  /** The plan for a new budget. */
  update(budget: Budget): E.Either<KapriError, Plan>;
  readonly frontier: readonly Plan[];
}

export const createGovernor = (frontier: readonly Plan[]): Governor => {
  const front = [...frontier];
  return { frontier: front, update: (budget) => bestPlan(front, budget) };
};
