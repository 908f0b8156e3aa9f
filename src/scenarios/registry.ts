/**
 * The scenarios by name. An embedded scenario is its `definition.ts` and one line below; a scenario
 * defined elsewhere (a test, an application) is one `registerScenario` call, after which the config
 * decoder accepts its name and `generateScenario` generates it.
 *
 * Registration is per thread: a seed run on a worker thread (`--jobs` > 1) sees the scenarios
 * registered here, not ones registered at run time in the main thread.
 */
import { createRegistry } from '../core/registry.js';
import { actionsScenario } from './actions/definition.js';
import { cardioScenario } from './cardio/definition.js';
import { gaussScenario } from './gauss/definition.js';
import { handsScenario } from './hands/definition.js';
import { physioScenario } from './physio/definition.js';
import type { ScenarioDefinition } from './scenarioDefinition.js';

export const scenarioRegistry = createRegistry<ScenarioDefinition>('scenario');

/**
 * Registers a scenario under its name; a name already taken is refused (`DuplicateName`).
 *
 * @example
 * registerScenario({ name: 'toy', generate: (seed, sizes) => makeToy(seed, sizes) });
 * generateScenario('toy', 1, { sourceTrain: 64, targetTrain: 32, targetTest: 32 });
 */
export const registerScenario = (d: ScenarioDefinition): void => scenarioRegistry.register(d.name, d);

/** The registered scenario names, in registration order (the embedded ones first). */
export const scenarioNames = (): readonly string[] => scenarioRegistry.names();

registerScenario(handsScenario);
registerScenario(physioScenario);
registerScenario(actionsScenario);
registerScenario(cardioScenario);
registerScenario(gaussScenario);
