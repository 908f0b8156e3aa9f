/** The L2-SP family: a uniform pull towards θ_src (docs/methods.md §2). */
import { l2spPrior } from '../l2sp.js';
import type { PriorFamilyDefinition } from '../priorFamily.js';

export const l2spFamily: PriorFamilyDefinition = {
  name: 'l2sp',
  description: 'L2-SP: every chosen parameter pulled towards θ_src with one weight',
  learn: ({ parts, config }) => ({
    prior: l2spPrior(parts.student.params, { model: parts.student.name, lambda: 1, layers: config.prior.layers }),
  }),
};
