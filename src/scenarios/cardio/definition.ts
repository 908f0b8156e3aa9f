/** cardio as a registered scenario: the generator's own split sizes, the target's labelled pool at least 400, the shift passed on. */
import { poolScenario } from '../scenarioDefinition.js';
import { generateCardio } from './cardio.js';

export const cardioScenario = poolScenario('cardio', generateCardio, 400);
