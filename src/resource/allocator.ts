/**
 * Dynamic allocation across modalities (docs/methods.md §3): each modality's encoder has discrete options
 * (skip, width, bits, pruning) with measured bytes, latency and a validation value. Choosing one option
 * per modality to maximise the summed value under memory and latency budgets is a multiple-choice
 * knapsack. It is solved exactly by dynamic programming over modalities that keeps the Pareto frontier
 * of (bytes ↓, latency ↓, value ↑) partial plans: a dominated partial plan can never complete into the
 * optimum, so pruning it loses nothing. The final frontier is kept for the governor.
 */
import * as E from 'fp-ts/lib/Either.js';
import { fail, type KapriError } from '../core/errors.js';

export interface ModalityOption {
  /** e.g. `int8-w16`, `int4-w16-prune50`, `skip`. */
  readonly id: string;
  readonly bytes: number;
  readonly latencyMs: number;
  /** Validation value contributed by this choice (higher is better; additive across modalities). */
  readonly value: number;
  /** The modality's encoder does not run (its feature, if needed, comes through alignment). */
  readonly skip?: boolean;
}

export interface ModalityOptions {
  readonly modality: string;
  readonly options: readonly ModalityOption[];
}

export interface Plan {
  /** Chosen option id per modality, in input order. */
  readonly choice: Readonly<Record<string, string>>;
  readonly bytes: number;
  readonly latencyMs: number;
  readonly value: number;
}

export interface Budget {
  readonly memoryBytes: number;
  readonly latencyMs: number;
}

/** 1 when a dominates-or-equals b and differs somewhere. */
const dominates = (a: Plan, b: Plan): boolean =>
  a.bytes <= b.bytes &&
  a.latencyMs <= b.latencyMs &&
  a.value >= b.value &&
  (a.bytes < b.bytes || a.latencyMs < b.latencyMs || a.value > b.value);

/** Removes dominated plans (and exact duplicates in cost and value), sorted by bytes, then latency. */
export const paretoFront = (plans: readonly Plan[]): Plan[] => {
  const sorted = [...plans].sort((a, b) => a.bytes - b.bytes || a.latencyMs - b.latencyMs || b.value - a.value);
  const front: Plan[] = [];
  for (const p of sorted) {
    if (
      front.some((q) => dominates(q, p) || (q.bytes === p.bytes && q.latencyMs === p.latencyMs && q.value === p.value))
    )
      continue;
    front.push(p);
  }
  return front;
};

const validate = (mods: readonly ModalityOptions[]): E.Either<KapriError, readonly ModalityOptions[]> => {
  if (mods.length === 0) return fail('InvalidConfig', 'allocation needs at least one modality');
  for (const m of mods) {
    if (m.options.length === 0) return fail('InvalidConfig', `modality '${m.modality}' has no options`);
    for (const o of m.options) {
      if (![o.bytes, o.latencyMs, o.value].every(Number.isFinite) || o.bytes < 0 || o.latencyMs < 0) {
        return fail(
          'InvalidConfig',
          `option '${o.id}' of '${m.modality}' needs finite bytes ≥ 0, latency ≥ 0 and value`,
        );
      }
    }
  }
  return E.right(mods);
};

/**
 * The Pareto frontier of complete plans (one option per modality) that keep at least one modality.
 * Partial plans that have kept nothing yet form their own frontier: pruning one against a plan that
 * already keeps a modality would be unsafe (the all-skip plan is invalid, so it cannot stand in).
 */
export const planFrontier = (mods: readonly ModalityOptions[]): E.Either<KapriError, Plan[]> =>
  E.flatMap((ms: readonly ModalityOptions[]) => {
    const extend = (plans: readonly Plan[], m: ModalityOptions, options: readonly ModalityOption[]): Plan[] =>
      plans.flatMap((p) =>
        options.map((o) => ({
          choice: { ...p.choice, [m.modality]: o.id },
          bytes: p.bytes + o.bytes,
          latencyMs: p.latencyMs + o.latencyMs,
          value: p.value + o.value,
        })),
      );
    let kept: Plan[] = [];
    let none: Plan[] = [{ choice: {}, bytes: 0, latencyMs: 0, value: 0 }];
    for (const m of ms) {
      const run = m.options.filter((o) => !o.skip);
      kept = paretoFront([...extend(kept, m, m.options), ...extend(none, m, run)]);
      none = paretoFront(
        extend(
          none,
          m,
          m.options.filter((o) => o.skip),
        ),
      );
    }
    return kept.length > 0
      ? E.right(kept)
      : fail('InvalidConfig', 'every option of every modality skips it: a plan must keep at least one modality');
  })(validate(mods));

/** The smallest memory and latency any plan reaches (for OutOfBudget messages). */
export const smallestAchievable = (front: readonly Plan[]): Budget => ({
  memoryBytes: Math.min(...front.map((p) => p.bytes)),
  latencyMs: Math.min(...front.map((p) => p.latencyMs)),
});

/**
 * The best plan of a frontier under a budget: the highest value, then the lowest latency, then the
 * fewest bytes. No feasible plan gives `OutOfBudget` with the smallest achievable memory and latency.
 */
export const bestPlan = (front: readonly Plan[], budget: Budget): E.Either<KapriError, Plan> => {
  let best: Plan | null = null;
  for (const p of front) {
    if (p.bytes > budget.memoryBytes || p.latencyMs > budget.latencyMs) continue;
    if (
      best === null ||
      p.value > best.value ||
      (p.value === best.value &&
        (p.latencyMs < best.latencyMs || (p.latencyMs === best.latencyMs && p.bytes < best.bytes)))
    )
      best = p;
  }
  if (best) return E.right(best);
  const s = smallestAchievable(front);
  return fail(
    'OutOfBudget',
    `no plan fits ${budget.memoryBytes} bytes and ${budget.latencyMs} ms; the smallest achievable are ${s.memoryBytes} bytes and ${s.latencyMs.toFixed(3)} ms (not necessarily in one plan)`,
    { budget, smallestMemoryBytes: s.memoryBytes, smallestLatencyMs: s.latencyMs },
  );
};

/** Plans in one call: frontier, then the best plan under the budget. */
export const allocate = (mods: readonly ModalityOptions[], budget: Budget): E.Either<KapriError, Plan> =>
  E.flatMap((f: Plan[]) => bestPlan(f, budget))(planFrontier(mods));
