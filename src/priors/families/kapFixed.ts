/** The kapFixed family: the KaP prior with meta-learning switched off (φ at its initial value), the ablation. */
import { kapToPrior } from '../kapPrior.js';
import type { PriorFamilyDefinition } from '../priorFamily.js';
import { kapStateFor } from './kapState.js';

export const kapFixedFamily: PriorFamilyDefinition = {
  name: 'kapFixed',
  description: 'the KaP prior before meta-learning: its initial strengths, what meta-learning adds is the difference',
  learn: ({ parts, config }) => {
    const state = kapStateFor(parts.student, config);
    try {
      // Recorded as the kap family: the same prior, at the start of its learning.
      return { prior: { ...kapToPrior(state, { metaLearning: 'off' }), family: 'kap' } };
    } finally {
      state.dispose();
    }
  },
};
