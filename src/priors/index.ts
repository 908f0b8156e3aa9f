/** Knowledge as priors: families and their registry, the meta-learned KaP prior, and the prior artifact. */
export * from './prior.js';
export * from './l2sp.js';
export * from './fisher.js';
export * from './kapPrior.js';
export * from './priorArtifact.js';
export * from './metaLearn.js';
export * from './targetTraining.js';
export * from './priorFamily.js';
export * from './registry.js';
