/** The embedded scenarios by name. */
import { generateHands } from './hands/hands.js';
import { generatePhysio } from './physio/physio.js';
import { generateGauss } from './gauss/gauss.js';
import { generateCardio } from './cardio/cardio.js';
import { generateActions } from './actions/actions.js';
import type { ScenarioData } from './scenario.js';

export type { ScenarioData } from './scenario.js';
export { generateHands } from './hands/hands.js';
export { generatePhysio } from './physio/physio.js';
export { generateGauss } from './gauss/gauss.js';
export { generateCardio } from './cardio/cardio.js';
export { generateActions } from './actions/actions.js';

export interface ScenarioSizes {
  readonly sourceTrain: number;
  readonly targetTrain: number;
  readonly targetTest: number;
  /** hands only: the target's label root (see `HandsOptions`). */
  readonly handsTargetRoot?: 'palm' | 'wrist';
  /** gauss only: the modality-general share γ of the decisive features (default 0.5). */
  readonly gamma?: number;
}

export const SCENARIOS = ['hands', 'physio', 'actions', 'cardio', 'gauss'] as const;
export type EmbeddedScenario = (typeof SCENARIOS)[number];

/** Generates a scenario by name (seeded). */
export const generateScenario = (name: EmbeddedScenario, seed: number, sizes: ScenarioSizes): ScenarioData => {
  switch (name) {
    case 'hands':
      return generateHands({
        seed,
        sourceTrain: sizes.sourceTrain,
        sourceVal: Math.max(100, Math.round(sizes.sourceTrain / 6)),
        sourceTest: Math.max(200, Math.round(sizes.sourceTrain / 4)),
        targetTrain: Math.max(sizes.targetTrain, 500),
        targetVal: 200,
        targetTest: sizes.targetTest,
        targetRoot: sizes.handsTargetRoot ?? 'palm',
      });
    case 'physio':
      return generatePhysio({
        seed,
        sourceTrain: sizes.sourceTrain,
        targetTrain: Math.max(sizes.targetTrain, 400),
        targetTest: sizes.targetTest,
      });
    case 'gauss':
      return generateGauss({
        seed,
        sourceTrain: sizes.sourceTrain,
        targetTrain: Math.max(sizes.targetTrain, 500),
        targetTest: sizes.targetTest,
        ...(sizes.gamma !== undefined ? { gamma: sizes.gamma } : {}),
      });
    case 'cardio':
      return generateCardio({
        seed,
        sourceTrain: sizes.sourceTrain,
        targetTrain: Math.max(sizes.targetTrain, 400),
        targetTest: sizes.targetTest,
      });
    case 'actions':
      return generateActions({
        seed,
        sourceTrain: sizes.sourceTrain,
        targetTrain: Math.max(sizes.targetTrain, 400),
        targetTest: sizes.targetTest,
      });
  }
};
