/** actions as a registered scenario: the generator's own split sizes, the target's labelled pool at least 400, the shift passed on. */
import { poolScenario } from '../scenarioDefinition.js';
import { generateActions } from './actions.js';

export const actionsScenario = poolScenario('actions', generateActions, 400);
