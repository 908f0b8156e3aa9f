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

/** The source validation and test splits hands derives from `sourceTrain`, each raised to its minimum. */
const handsSourceSplits = (sourceTrain: number): { sourceVal: number; sourceTest: number; raised: string[] } => {
  const raised: string[] = [];
  const atLeast = (split: string, wanted: number, min: number): number => {
    if (wanted < min) raised.push(`${split} raised from ${wanted} to its minimum of ${min}`);
    return Math.max(wanted, min);
  };
  return {
    sourceVal: atLeast('the source validation split (sourceTrain / 6)', Math.round(sourceTrain / 6), 100),
    sourceTest: atLeast('the source test split (sourceTrain / 4)', Math.round(sourceTrain / 4), 200),
    raised,
  };
};

/**
 * The splits a scenario raises to its minimum for these sizes, as sentences (the CLI prints them as
 * warnings before a run; the run's report notes them). The target's labelled pool is larger than
 * any labelled subset by design, which is not a raise.
 *
 * @example
 * raisedSplits('hands', { sourceTrain: 600, targetTrain: 100, targetTest: 200 })
 * // → ['hands: the source test split (sourceTrain / 4) raised from 150 to its minimum of 200']
 */
export const raisedSplits = (name: EmbeddedScenario, sizes: ScenarioSizes): string[] =>
  name === 'hands' ? handsSourceSplits(sizes.sourceTrain).raised.map((r) => `${name}: ${r}`) : [];

/** Generates a scenario by name (seeded). Derived splits below the scenario's minimum are raised, and noted. */
export const generateScenario = (name: EmbeddedScenario, seed: number, sizes: ScenarioSizes): ScenarioData => {
  const d = generateByName(name, seed, sizes);
  const raised = raisedSplits(name, sizes);
  return raised.length === 0 ? d : { ...d, notes: [...d.notes, ...raised] };
};

const generateByName = (name: EmbeddedScenario, seed: number, sizes: ScenarioSizes): ScenarioData => {
  switch (name) {
    case 'hands': {
      const { sourceVal, sourceTest } = handsSourceSplits(sizes.sourceTrain);
      return generateHands({
        seed,
        sourceTrain: sizes.sourceTrain,
        sourceVal,
        sourceTest,
        targetTrain: Math.max(sizes.targetTrain, 500),
        targetVal: 200,
        targetTest: sizes.targetTest,
        targetRoot: sizes.handsTargetRoot ?? 'palm',
      });
    }
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
