/**
 * From the options to the report's plans and devices: the exact frontier of the knapsack, every valid
 * plan with its additive estimate next to its whole measure, each device's plan from the governor, and
 * how long one governor update takes.
 */
import * as E from 'fp-ts/lib/Either.js';
import { planFrontier, type ModalityOption, type ModalityOptions, type Plan } from '../../resource/allocator.js';
import type { DeviceProfile } from '../../resource/deviceProfile.js';
import { planForDevice, type Governor } from '../../resource/governor.js';
import type { DeploymentEntry } from '../report.js';
import type { PlanMeasure } from './planMeasures.js';
import { REFERENCE, type Choice, type EncoderOption, type Slot } from './slots.js';
import type { MeasuredPlan } from './types.js';

/** The Pareto frontier of whole plans over the modalities' options; throws when there is none. */
export const frontierOf = (mods: readonly ModalityOptions[]): Plan[] =>
  E.getOrElseW((e: Error) => {
    throw e;
  })(planFrontier(mods));

/** Option `id` of modality `m`. */
const optionOf = (mods: readonly ModalityOptions[], m: Slot, id: string): ModalityOption =>
  mods.find((x) => x.modality === m)!.options.find((o) => o.id === id)!;

/**
 * Each plan with the knapsack's sums (bytes, latency, and the value added to the reference metric `ref`,
 * back in metric units through `sign`) next to its whole measure. At the reference plan (both int8)
 * both values are zero, so its predicted validation metric is its measured one.
 */
export const measuredPlans = (
  choices: readonly Choice[],
  mods: readonly ModalityOptions[],
  head: ModalityOption,
  at: (c: Choice) => PlanMeasure,
  sign: 1 | -1,
): MeasuredPlan[] => {
  const ref = at(REFERENCE).val;
  return choices.map((c) => {
    const sup = optionOf(mods, 'superior', c.superior);
    const weak = optionOf(mods, 'weak', c.weak);
    const r = at(c);
    return {
      choice: c,
      bytes: sup.bytes + weak.bytes + head.bytes,
      latencyMs: sup.latencyMs + weak.latencyMs + head.latencyMs,
      measuredLatencyMs: r.latencyMs,
      predictedVal: ref + sign * (sup.value + weak.value),
      val: r.val,
      test: r.test,
    };
  });
};

/**
 * Each device's plan from the governor, the head a fixed cost next to the encoders' choice. The plan
 * is chosen on the parts' latencies; the entry reports the whole plan's measured latency (scaled by the
 * device's speed) and its source test metric, and fits only if that latency meets the budget too.
 */
export const deploymentOf = (
  governor: Governor,
  devices: readonly DeviceProfile[],
  head: ModalityOption,
  at: (c: Choice) => PlanMeasure,
): DeploymentEntry[] =>
  devices.map((dev): DeploymentEntry => {
    const { plan, fits } = planForDevice(governor, dev, head);
    const m = at({
      superior: plan.choice['superior'] as EncoderOption,
      weak: plan.choice['weak'] as EncoderOption,
    });
    return {
      device: dev.name,
      budget: { memoryBytes: dev.memoryBytes, latencyMs: dev.latencyMs },
      plan: { ...plan.choice, head: 'int8' },
      memoryBytes: plan.bytes,
      latencyMs: m.latencyMs / dev.relativeSpeed,
      metric: m.test,
      fits: fits && m.latencyMs / dev.relativeSpeed <= dev.latencyMs,
    };
  });

/** Median microseconds of one governor update, over 11 sweeps of 64 budgets from tight to loose. */
export const governorUpdateUs = (governor: Governor): number => {
  const budgets = Array.from({ length: 64 }, (_, k) => ({ memoryBytes: (k + 1) * 4096, latencyMs: 0.05 * (k + 1) }));
  const perUpdate: number[] = [];
  for (let rep = 0; rep < 11; rep++) {
    const t0 = performance.now();
    for (const b of budgets) governor.update(b);
    perUpdate.push(((performance.now() - t0) * 1000) / budgets.length);
  }
  perUpdate.sort((a, b) => a - b);
  return perUpdate[perUpdate.length >> 1]!;
};
