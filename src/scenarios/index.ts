/** The embedded scenarios, by name through the scenario registry (registry.ts). */
import { scenarioRegistry } from './registry.js';
import type { ScenarioSizes } from './scenarioDefinition.js';
import type { ScenarioData } from './scenario.js';

export type { ScenarioData } from './scenario.js';
export type { ScenarioDefinition, ScenarioSizes } from './scenarioDefinition.js';
export { registerScenario, scenarioNames, scenarioRegistry } from './registry.js';
export { generateHands } from './hands/hands.js';
export { generatePhysio } from './physio/physio.js';
export { generateGauss } from './gauss/gauss.js';
export { generateCardio } from './cardio/cardio.js';
export { generateActions } from './actions/actions.js';

/**
 * The splits a scenario raises to its minimum for these sizes, as sentences (the CLI prints them as
 * warnings before a run; the run's report notes them). The target's labelled pool is larger than
 * any labelled subset by design, which is not a raise. An unknown name is an `InvalidConfig` error.
 *
 * @example
 * raisedSplits('hands', { sourceTrain: 600, targetTrain: 100, targetTest: 200 })
 * // → ['hands: the source test split (sourceTrain / 4) raised from 150 to its minimum of 200']
 */
export const raisedSplits = (name: string, sizes: ScenarioSizes): string[] =>
  (scenarioRegistry.get(name).raisedSplits?.(sizes) ?? []).map((r) => `${name}: ${r}`);

/**
 * Generates a registered scenario by name (seeded). Derived splits below the scenario's minimum are
 * raised, and noted.
 *
 * @example
 * const d = generateScenario('hands', 1, { sourceTrain: 64, targetTrain: 32, targetTest: 32 });
 */
export const generateScenario = (name: string, seed: number, sizes: ScenarioSizes): ScenarioData => {
  const d = scenarioRegistry.get(name).generate(seed, sizes);
  const raised = raisedSplits(name, sizes);
  return raised.length === 0 ? d : { ...d, notes: [...d.notes, ...raised] };
};
