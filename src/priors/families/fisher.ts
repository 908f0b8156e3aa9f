/** The Fisher (EWC / Laplace) family: a pull towards θ_src weighted by the diagonal Fisher of L_CMKD. */
import { cmkdObjective } from '../../distill/cmkd.js';
import { fisherPrior } from '../fisher.js';
import type { PriorFamilyDefinition } from '../priorFamily.js';

export const fisherFamily: PriorFamilyDefinition = {
  name: 'fisher',
  description: "Laplace / EWC: the pull towards θ_src weighted by the diagonal Fisher of the source's CMKD loss",
  learn: ({ parts, source, config, batches, rng }) => {
    const fb = batches(source.train, config.student.batchSize, rng.fork('fisher'));
    return {
      prior: fisherPrior(parts.student.params, {
        model: parts.student.name,
        lambda: 1,
        layers: config.prior.layers,
        batches: config.prior.fisherBatches,
        batchSize: config.student.batchSize,
        loss: (k) => cmkdObjective(parts, fb(k)),
      }),
    };
  },
};
