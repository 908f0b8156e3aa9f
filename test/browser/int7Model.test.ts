/**
 * A QModel in the 7-bit weight form in Chromium: on the relaxed build its conv2d and dense ops run
 * on the relaxed i8·i7 kernels (the engine's probe passes), and the whole model gives the reference
 * executor's bits, as on the other builds and on Web Worker pools.
 */
import { int7ModelBytes } from '../runtime/qmodelFixture.js';
import { defineExecutorSuite } from '../runtime/suites/executorSuite.js';

defineExecutorSuite([
  ['the 7-bit fixture', () => int7ModelBytes(1)],
  ['the 7-bit fixture (seed 2)', () => int7ModelBytes(2)],
]);
