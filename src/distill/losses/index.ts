/** Every loss of docs/methods.md §1, as pure functions of tensors. */
export * from './stopGradient.js';
export * from './taskLosses.js';
export * from './kdLosses.js';
export * from './featureLosses.js';
export * from './alignDistance.js';
export * from './registry.js';
export * from './mutualLearning.js';
export * from './multiLevel.js';
