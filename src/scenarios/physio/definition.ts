/** physio as a registered scenario: the generator's own split sizes, the target's labelled pool at least 400, the shift passed on. */
import { poolScenario } from '../scenarioDefinition.js';
import { generatePhysio } from './physio.js';

export const physioScenario = poolScenario('physio', generatePhysio, 400);
