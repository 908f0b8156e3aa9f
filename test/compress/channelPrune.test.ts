/** Channel pruning shrinks the network; channels that contribute nothing leave outputs unchanged. */
import { beforeAll, describe, expect, it } from 'vitest';
import { thrown } from '../support/thrown.js';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { pruneChannels } from '../../src/compress/channelPrune.js';
import { keepByScore } from '../../src/compress/pruning.js';
import { headSpec, imageEncoderSpec } from '../../src/nn/architectures.js';
import { createModel, type Model } from '../../src/nn/model.js';
import { flattenParams } from '../../src/nn/paramTree.js';

beforeAll(async () => {
  await initTraining();
});

const student = (): Model =>
  createModel(
    'student',
    [imageEncoderSpec({ width: 4, inputShape: [8, 8, 3] })],
    (f) => headSpec({ featureDim: f, outputs: 5, hidden: 8 }),
    createRng(3),
  );

const param = (m: Model, path: string): tf.Variable =>
  new Map([...flattenParams(m.params), ...flattenParams(m.state)]).get(path)!;

/** Silences channels (odd ones) so that they contribute exactly nothing downstream. */
const silenceOddChannels = (m: Model): void => {
  const zeroOdd = (v: tf.Variable, axis: number) => {
    const n = v.shape[axis]!;
    const mask = tf.tensor1d(Array.from({ length: n }, (_, c) => (c % 2 === 0 ? 1 : 0)));
    const shape = v.shape.map((_, i) => (i === axis ? n : 1));
    v.assign(tf.mul(v, tf.reshape(mask, shape)));
  };
  // Post-BN output relu(γ·x̂ + β) is 0 when γ = β = 0.
  for (const l of ['encoder0/stem', 'encoder0/res1/body/a', 'encoder0/res2/body/a']) {
    zeroOdd(param(m, `${l}/bn/gamma`), 0);
    zeroOdd(param(m, `${l}/bn/beta`), 0);
  }
  // A hidden unit with zero weights and bias outputs relu(0) = 0.
  zeroOdd(param(m, 'head/hidden/w'), 1);
  zeroOdd(param(m, 'head/hidden/b'), 0);
};

describe('pruneChannels', () => {
  it("halves the prunable layers: the stem, each residual block's inner conv and the head's hidden layer", () => {
    const m = student();
    const { model: small, pruned } = pruneChannels(m, 0.5, createRng(1));
    expect(pruned.map((p) => [p.layer, p.before, p.kept.length])).toEqual([
      ['encoder0/stem', 4, 2],
      ['encoder0/res1/body/a', 8, 4],
      ['encoder0/res2/body/a', 16, 8],
      ['head/hidden', 8, 4],
    ]);
    expect(param(small, 'encoder0/down1/w').shape).toEqual([3, 3, 2, 8]);
    expect(param(small, 'encoder0/res2/body/b/w').shape).toEqual([3, 3, 8, 16]);
    expect(small.featureDim).toBe(m.featureDim);
    expect(small.paramCount).toBeLessThan(m.paramCount * 0.7);
    m.dispose();
    small.dispose();
  });

  it('keeps exactly the channels that matter, and the outputs do not change when the others contribute nothing', () => {
    const m = student();
    silenceOddChannels(m);
    const { model: small, pruned } = pruneChannels(m, 0.5, createRng(1));
    for (const p of pruned) expect(p.kept).toEqual(Array.from({ length: p.before / 2 }, (_, i) => 2 * i));
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 7);
    const a = m.forward([x], { training: false }).output.dataSync();
    const b = small.forward([x], { training: false }).output.dataSync();
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
    tf.dispose(x);
    m.dispose();
    small.dispose();
  });

  it('leaves the source model as it was', () => {
    const m = student();
    const before = param(m, 'encoder0/res1/body/a/w').dataSync().slice();
    pruneChannels(m, 0.5, createRng(1)).model.dispose();
    expect(param(m, 'encoder0/res1/body/a/w').dataSync()).toEqual(before);
    m.dispose();
  });

  it('refuses a sparsity outside [0, 1) and a model with nothing to prune', () => {
    const m = student();
    expect(
      isKapriError(
        thrown(() => pruneChannels(m, 1, createRng(1))),
        'InvalidConfig',
      ),
    ).toBe(true);
    const flat = createModel(
      'flat',
      [{ name: 'in', inputShape: [4], layers: [] }],
      (f) => headSpec({ featureDim: f, outputs: 2 }),
      createRng(0),
    );
    expect(
      isKapriError(
        thrown(() => pruneChannels(flat, 0.5, createRng(1))),
        'Unsupported',
      ),
    ).toBe(true);
    m.dispose();
    flat.dispose();
  });
});

describe('keepByScore', () => {
  it('keeps the highest scores in index order, at least one, lower index on ties', () => {
    expect(keepByScore([0.1, 3, 2, 3], 0.5)).toEqual([1, 3]);
    expect(keepByScore([5, 1], 0.99)).toEqual([0]);
    expect(keepByScore([1, 1, 1], 0.4)).toEqual([0, 1]);
  });
});
