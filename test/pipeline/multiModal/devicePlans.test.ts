/**
 * From options to plans and devices, on made-up options and measures with exact answers: the
 * knapsack's sums next to the whole measures, each device's plan from the governor.
 */
import { describe, expect, it } from 'vitest';
import type { ModalityOption, ModalityOptions } from '../../../src/resource/allocator.js';
import type { DeviceProfile } from '../../../src/resource/deviceProfile.js';
import { createGovernor } from '../../../src/resource/governor.js';
import {
  deploymentOf,
  frontierOf,
  governorUpdateUs,
  measuredPlans,
} from '../../../src/pipeline/multiModal/devicePlans.js';
import type { PlanMeasure } from '../../../src/pipeline/multiModal/planMeasures.js';
import { choiceKey, validChoices, type Choice } from '../../../src/pipeline/multiModal/slots.js';
import { finite } from '../../support/finite.js';
import { thrown } from '../../support/thrown.js';

const option = (id: string, bytes: number, latencyMs: number, value: number): ModalityOption => ({
  id,
  bytes,
  latencyMs,
  value,
  ...(id === 'skip' ? { skip: true } : {}),
});
const mods: ModalityOptions[] = [
  {
    modality: 'superior',
    options: [option('int8', 1000, 4, 0), option('mixed-8/4', 600, 3, -0.125), option('skip', 100, 1, -0.25)],
  },
  {
    modality: 'weak',
    options: [option('int8', 400, 2, 0), option('mixed-8/4', 300, 1.5, -0.0625), option('skip', 50, 0.5, -0.5)],
  },
];
const head = option('int8', 200, 1, 0.75);
// Whole measures: val 0.75 at the reference, each plan's test 0.5 below its val, latency 10 ms.
const measures = new Map<string, PlanMeasure>(
  validChoices().map((c, k) => [choiceKey(c), { val: 0.75 - k / 64, test: 0.25 - k / 64, latencyMs: 10 }]),
);
const at = (c: Choice): PlanMeasure => measures.get(choiceKey(c))!;
const device = (name: string, memoryBytes: number, latencyMs: number, relativeSpeed = 1): DeviceProfile => ({
  name,
  description: name,
  memoryBytes,
  latencyMs,
  threads: 1,
  simd: true,
  relativeSpeed,
});

describe('device plans', () => {
  it('sums each plan’s parts and adds the options’ values to the reference metric', () => {
    const plans = measuredPlans(validChoices(), mods, head, at, 1);
    expect(plans).toHaveLength(8);
    expect(plans[0]).toEqual({
      choice: { superior: 'int8', weak: 'int8' },
      bytes: 1600,
      latencyMs: 7,
      measuredLatencyMs: 10,
      predictedVal: 0.75,
      val: 0.75,
      test: 0.25,
    });
    const mixedSkip = plans.find((p) => choiceKey(p.choice) === 'mixed-8/4|skip')!;
    expect(mixedSkip).toMatchObject({ bytes: 850, latencyMs: 4.5, predictedVal: 0.75 - 0.125 - 0.5 });
  });

  it('turns gains back into metric units when lower is better', () => {
    const plans = measuredPlans(validChoices(), mods, head, at, -1);
    expect(plans[0]!.predictedVal).toBe(0.75);
    expect(plans.find((p) => choiceKey(p.choice) === 'skip|int8')!.predictedVal).toBe(0.75 + 0.25);
  });

  it('gives each device the best plan its budget allows, with the head as a fixed cost', () => {
    const governor = createGovernor(frontierOf(mods));
    const [roomy, tight, tiny] = deploymentOf(
      governor,
      [device('roomy', 1e6, 100), device('tight', 700, 100, 0.5), device('tiny', 10, 100)],
      head,
      at,
    );
    expect(roomy).toEqual({
      device: 'roomy',
      budget: { memoryBytes: 1e6, latencyMs: 100 },
      plan: { superior: 'int8', weak: 'int8', head: 'int8' },
      memoryBytes: 1600,
      latencyMs: 10,
      metric: at({ superior: 'int8', weak: 'int8' }).test,
      fits: true,
    });
    // 500 bytes after the head: skip|int8 (500) keeps the more valuable weak encoder; half as fast.
    expect(tight).toMatchObject({
      plan: { superior: 'skip', weak: 'int8', head: 'int8' },
      memoryBytes: 700,
      latencyMs: 20,
      metric: at({ superior: 'skip', weak: 'int8' }).test,
      fits: true,
    });
    // Nothing fits: the smallest plan, marked.
    expect(tiny).toMatchObject({ plan: { superior: 'skip', weak: 'mixed-8/4' }, fits: false });
  });

  it('does not call a plan fitting when its whole measured latency misses the budget', () => {
    const [d] = deploymentOf(createGovernor(frontierOf(mods)), [device('slow', 1e6, 9)], head, at);
    expect(d).toMatchObject({ latencyMs: 10, fits: false });
  });

  it('refuses options that keep no encoder, and times a governor update', () => {
    const allSkip = mods.map((m) => ({ ...m, options: m.options.filter((o) => o.skip) }));
    expect(thrown(() => frontierOf(allSkip))).toMatchObject({ tag: 'InvalidConfig' });
    expect(governorUpdateUs(createGovernor(frontierOf(mods)))).toEqual(finite);
  });
});
