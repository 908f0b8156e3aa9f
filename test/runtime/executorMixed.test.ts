/**
 * The executor comparison on models with int4 weights, depthwise convolutions and average pooling:
 * the hand-built fixtures (also run in Chromium, test/browser/executor.test.ts) and a model exported
 * the way the `mixed-8/4` deployment option is, from a network with depthwise and average-pool layers.
 */
import { beforeAll, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { createModel } from '../../src/nn/model.js';
import { headSpec } from '../../src/nn/architectures.js';
import type { NetworkSpec } from '../../src/nn/layerSpec.js';
import { exportQModel } from '../../src/compress/exportQModel.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { mixedModelBytes } from './qmodelFixture.js';
import { defineExecutorSuite } from './suites/executorSuite.js';

beforeAll(async () => {
  await initTraining();
});

const encoder: NetworkSpec = {
  name: 'mixedEncoder',
  inputShape: [16, 16, 3],
  layers: [
    { kind: 'conv2d', name: 'stem', filters: 8, kernel: 3, batchNorm: true, activation: 'relu' },
    { kind: 'depthwise', name: 'dw', kernel: 3, stride: 2, batchNorm: true, activation: 'relu6' },
    { kind: 'conv2d', name: 'pw', filters: 12, kernel: 1, batchNorm: true, activation: 'relu' },
    { kind: 'avgPool', size: 2 },
    {
      kind: 'residual',
      name: 'res',
      body: [
        { kind: 'conv2d', name: 'a', filters: 12, kernel: 3, batchNorm: true, activation: 'relu' },
        { kind: 'conv2d', name: 'b', filters: 12, kernel: 3, batchNorm: true },
      ],
      activation: 'relu',
    },
    { kind: 'avgPool', size: 3, stride: 2, padding: 'same' },
    { kind: 'globalAvgPool' },
  ],
};
const INT4_LAYERS = ['encoder0/stem', 'encoder0/pw', 'encoder0/res/a', 'head/hidden', 'head/out'];

/** A trained-shape student exported with int4 weights on the layers `mixed-8/4` would choose from. */
const exportedMixed = (): Uint8Array => {
  const m = createModel('student', [encoder], (f) => headSpec({ featureDim: f, outputs: 7, hidden: 16 }), createRng(3));
  const calib = tf.randomNormal([48, 16, 16, 3], 0, 1, 'float32', 9);
  for (let i = 0; i < 10; i++) tf.tidy(() => void m.forward([calib], { training: true })); // batch-norm statistics
  const bytes = exportQModel(m, calib, { int4Layers: INT4_LAYERS });
  calib.dispose();
  m.dispose();
  return bytes;
};

it('the exported model holds int4 conv and dense weights, depthwise and average pooling', () => {
  const r = decodeQModel(exportedMixed());
  if (E.isLeft(r)) throw r.left;
  const ops = r.right.header.ops as readonly { op: string; bits?: number }[];
  expect(ops.filter((o) => o.bits === 4).map((o) => o.op)).toEqual(['conv2d', 'conv2d', 'conv2d', 'dense', 'dense']);
  expect(ops.filter((o) => o.op === 'depthwise3x3').length).toBe(1);
  expect(ops.filter((o) => o.op === 'avgPool').length).toBe(2);
});

defineExecutorSuite([
  ['the mixed int8/int4 fixture', () => mixedModelBytes(1)],
  ['the mixed int8/int4 fixture (seed 2)', () => mixedModelBytes(2)],
  ['an exported mixed-8/4 student', exportedMixed],
]);
