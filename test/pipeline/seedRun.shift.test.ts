/** The config's data.shift reaches the scenario a seed generates (and a user's dataset is left as given). */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { KernelModule } from '../../src/kernels/loader.js';
import { deepMerge } from '../../src/pipeline/config.js';
import { scenarioOf } from '../../src/pipeline/seedRun.js';
import { generateScenario } from '../../src/scenarios/index.js';
import { differingArrays } from '../support/scenarioBytes.js';
import { TINY } from '../support/tinyRun.js';

const contextFor = (shift: number, dataset?: ReturnType<typeof generateScenario>) => ({
  config: deepMerge(TINY, { data: { shift } }) as typeof TINY,
  options: {
    seed: 3,
    first: false,
    devices: [],
    // The scenario stage does not touch the kernels.
    kernels: {} as KernelModule,
    onProgress: () => {},
    ...(dataset ? { dataset } : {}),
  },
  rng: createRng(3),
  timings: {},
});

describe("a seed's scenario", () => {
  it('is generated at the config data.shift', () => {
    const sizes = { sourceTrain: TINY.data.sourceTrain, targetTrain: 16, targetTest: TINY.data.targetTest, gamma: 0.5 };
    const at = (shift: number) => scenarioOf(contextFor(shift)).data;
    expect(at(0).notes.join(' ')).toMatch(/noise scale 1 \(source 1\): the source → target shift ×0 /);
    expect(differingArrays(at(0), generateScenario('gauss', 3, { ...sizes, shift: 0 }))).toEqual([]);
    expect(differingArrays(at(1), generateScenario('gauss', 3, sizes))).toEqual([]);
  });

  it("leaves a user's dataset as given, whatever data.shift says", () => {
    const given = generateScenario('gauss', 9, { sourceTrain: 20, targetTrain: 16, targetTest: 8 });
    expect(scenarioOf(contextFor(0, given)).data).toBe(given);
  });
});
