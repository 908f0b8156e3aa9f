/**
 * The executor comparison in Chromium: whole models with int4 weights, depthwise convolutions and
 * average pooling run on the kernels to the reference executor's bits, one thread and on Web Worker pools.
 */
import { mixedModelBytes } from '../runtime/qmodelFixture.js';
import { defineExecutorSuite } from '../runtime/suites/executorSuite.js';

defineExecutorSuite([
  ['the mixed int8/int4 fixture', () => mixedModelBytes(1)],
  ['the mixed int8/int4 fixture (seed 2)', () => mixedModelBytes(2)],
]);
