/** The KaP family: per-parameter strengths meta-learned on the source (docs/methods.md §2, metaLearn.ts). */
import { subsetSource } from '../../data/dataset.js';
import { labelledSubset } from '../../data/splits.js';
import { metaLearnPrior } from '../metaLearn.js';
import type { PriorFamilyDefinition } from '../priorFamily.js';
import { kapStateFor } from './kapState.js';

export const kapFamily: PriorFamilyDefinition = {
  name: 'kap',
  description:
    "knowledge as priors: per-parameter strengths meta-learned so that teacherless steps follow the teacher's loss",
  learn: async ({ parts, source, config: c, batches, rng, onProgress }) => {
    const state = kapStateFor(parts.student, c);
    try {
      // The teacherless trajectories train on a labelled subset as small as the target's labelled set.
      const subset = subsetSource(
        source.train,
        labelledSubset(source.train.n, Math.min(c.prior.kap.subset, source.train.n), rng.fork('kap-subset')),
      );
      const r = await metaLearnPrior({
        state,
        parts,
        innerBatches: batches(subset, c.target.batchSize, rng.fork('kap-inner')),
        // Held out: the outer loss reads the source validation split, never the batches of the inner step.
        metaBatches: batches(source.val, c.student.batchSize, rng.fork('kap-outer')),
        steps: c.prior.kap.steps,
        alpha: c.prior.kap.alpha,
        beta: c.prior.kap.beta,
        trajectoryLr: c.target.lr,
        episode: c.prior.kap.episode,
        innerSteps: c.prior.kap.innerSteps,
        ...(onProgress ? { onProgress } : {}),
      });
      return { prior: r.prior, metaLearning: { stats: r.stats, losses: r.metaLosses } };
    } finally {
      state.dispose();
    }
  },
};
