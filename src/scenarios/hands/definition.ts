/**
 * hands as a registered scenario: the source's validation and test splits are derived from
 * `sourceTrain` (a sixth and a quarter), each raised to its minimum; the target's labelled pool holds
 * at least 500 samples and its validation split 200; the label root and the shift are passed on.
 */
import type { ScenarioDefinition, ScenarioSizes } from '../scenarioDefinition.js';
import { generateHands } from './hands.js';

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

export const handsScenario: ScenarioDefinition = {
  name: 'hands',
  generate: (seed: number, sizes: ScenarioSizes) => {
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
      ...(sizes.shift !== undefined ? { shift: sizes.shift } : {}),
    });
  },
  raisedSplits: (sizes) => handsSourceSplits(sizes.sourceTrain).raised,
};
