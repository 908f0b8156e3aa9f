/** The KaP state (φ, μ) a run's `prior.kap` settings describe, shared by the kap and kapFixed families. */
import type { Model } from '../../nn/model.js';
import { createKapState, type KapState } from '../kapPrior.js';
import type { PriorLearningConfig } from '../priorFamily.js';

/** φ at its initial value, μ at the student's current values (θ_src) or zero. The caller disposes it. */
export const kapStateFor = (student: Model, c: PriorLearningConfig): KapState =>
  createKapState(student.params, {
    model: student.name,
    layers: c.prior.layers,
    form: c.prior.kap.form,
    mu: c.prior.kap.mu,
    granularity: c.prior.kap.granularity,
    initWeight: c.prior.kap.initWeight,
  });
