/**
 * physio as a registered scenario: the generator's own split sizes, the target's labelled pool at
 * least 400. `data.shift` is not applied yet (the generator is being reworked): the shift is not passed
 * on, and the notes say so.
 */
import type { ScenarioDefinition } from '../scenarioDefinition.js';
import { poolScenario } from '../scenarioDefinition.js';
import { generatePhysio } from './physio.js';

const pool = poolScenario('physio', generatePhysio, 400);

export const physioScenario: ScenarioDefinition = {
  name: 'physio',
  generate: (seed, { shift, ...sizes }) => {
    const d = pool.generate(seed, sizes);
    return {
      ...d,
      notes: [
        ...d.notes,
        `physio: data.shift (${shift ?? 1}) is not applied to this scenario yet: its target is the generator's own whatever the value`,
      ],
    };
  },
};
