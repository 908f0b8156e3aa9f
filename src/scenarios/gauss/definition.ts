/** gauss as a registered scenario: the generator's own split sizes, the target's labelled pool at least 500, γ and the shift passed on. */
import type { ScenarioDefinition } from '../scenarioDefinition.js';
import { generateGauss } from './gauss.js';

export const gaussScenario: ScenarioDefinition = {
  name: 'gauss',
  generate: (seed, sizes) =>
    generateGauss({
      seed,
      sourceTrain: sizes.sourceTrain,
      targetTrain: Math.max(sizes.targetTrain, 500),
      targetTest: sizes.targetTest,
      ...(sizes.gamma !== undefined ? { gamma: sizes.gamma } : {}),
      ...(sizes.shift !== undefined ? { shift: sizes.shift } : {}),
    }),
};
