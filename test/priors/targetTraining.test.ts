import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { createModel } from '../../src/nn/model.js';
import { headSpec } from '../../src/nn/architectures.js';
import type { NetworkSpec } from '../../src/nn/layerSpec.js';
import { l2spPrior } from '../../src/priors/l2sp.js';
import { trainTarget } from '../../src/priors/targetTraining.js';
import { createKapState } from '../../src/priors/kapPrior.js';
import { metaLearnPrior } from '../../src/priors/metaLearn.js';
import { createProjection } from '../../src/distill/projection.js';
import { flattenParams } from '../../src/nn/paramTree.js';
import type { SourceBatch, TargetBatch } from '../../src/distill/batches.js';

beforeAll(async () => {
  await initTraining();
});

const mlp = (name: string, d: number): NetworkSpec => ({
  name,
  inputShape: [d],
  layers: [{ kind: 'dense', name: 'h', units: 6, activation: 'relu' }],
});
const mse = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar;
const student = (seed: number) =>
  createModel('student', [mlp('enc', 4)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(seed));
const values = (m: ReturnType<typeof student>) => m.variables.map((v) => Array.from(v.dataSync()));

const targetBatches = (seed: number) => {
  const rng = createRng(seed);
  return (): TargetBatch => {
    const x = Array.from({ length: 16 * 4 }, () => rng.normal());
    const y = Array.from({ length: 16 }, (_, i) => 3 * x[i * 4]! - x[i * 4 + 1]!);
    return { weak: tf.tensor2d(x, [16, 4]), label: tf.tensor2d(y, [16, 1]) };
  };
};

describe('trainTarget', () => {
  it('with a strong l2sp prior keeps the parameters near θ_src; without one they move', async () => {
    const distance = async (withPrior: boolean) => {
      const m = student(1);
      const src = values(m);
      const prior = withPrior ? l2spPrior(m.params, { model: 'student', lambda: 1e4 }) : null;
      await trainTarget({
        model: m,
        batches: targetBatches(2),
        prior,
        taskLoss: mse,
        config: { steps: 40, lr: 0.01, optimizer: { kind: 'adam' } },
      });
      const d = values(m)
        .flat()
        .reduce((a, v, i) => a + (v - src.flat()[i]!) ** 2, 0);
      m.dispose();
      return d;
    };
    const free = await distance(false);
    const held = await distance(true);
    expect(held).toBeLessThan(free / 10);
  });

  it('refuses a prior learned for another model', async () => {
    const m = student(1);
    const prior = l2spPrior(m.params, { model: 'teacher', lambda: 1 });
    await expect(
      trainTarget({
        model: m,
        batches: targetBatches(2),
        prior,
        taskLoss: mse,
        config: { steps: 1, lr: 0.01, optimizer: { kind: 'adam' } },
      }),
    ).rejects.toThrow(/model 'teacher'/);
    m.dispose();
  });
});

describe('metaLearnPrior', () => {
  const sourceBatches = (seed: number) => {
    const rng = createRng(seed);
    return (): SourceBatch => {
      const z = Array.from({ length: 16 * 2 }, () => rng.normal());
      const x = z.flatMap((v, i) =>
        i % 2 === 0 ? [v + 0.3 * rng.normal(), rng.normal()] : [v + 0.3 * rng.normal(), rng.normal()],
      );
      const y = Array.from({ length: 16 }, (_, i) => z[2 * i]! - z[2 * i + 1]!);
      return { weak: tf.tensor2d(x, [16, 4]), superior: tf.tensor2d(z, [16, 2]), label: tf.tensor2d(y, [16, 1]) };
    };
  };

  it('changes φ, restores θ to θ_src, records the outer loss, and leaks no tensors', async () => {
    const s = student(3);
    const teacher = createModel(
      'teacher',
      [mlp('tenc', 2)],
      (f) => headSpec({ featureDim: f, outputs: 1 }),
      createRng(4),
    );
    const projection = createProjection('linear', [6], [6], createRng(5));
    const state = createKapState(s.params, { model: 'student', initWeight: 0.05 });
    const src = flattenParams(s.params).map(([, v]) => Array.from(v.dataSync()));
    const n = tf.memory().numTensors;
    const r = await metaLearnPrior({
      state,
      parts: { student: s, teacher, projection, losses: { task: mse, kd: mse, lambdaKd: 1, lambdaFeat: 0 } },
      innerBatches: sourceBatches(6),
      metaBatches: sourceBatches(7),
      steps: 15,
      alpha: 0.05,
      beta: 0.05,
      trajectoryLr: 0.05,
      episode: 5,
    });
    expect(tf.memory().numTensors).toBe(n);
    expect(flattenParams(s.params).map(([, v]) => Array.from(v.dataSync()))).toEqual(src);
    expect(r.metaLosses).toHaveLength(15);
    expect(r.prior.family).toBe('kap');
    const w = r.prior.terms.flatMap((t) => Array.from(t.weight));
    expect(w.some((x) => Math.abs(x - 0.05) > 1e-4)).toBe(true);
    expect(r.stats.metaGradNorm).toBeGreaterThan(0);
    expect(r.stats.phiSpread).toBeGreaterThan(1); // φ moved, and not uniformly
    state.dispose();
    [s, teacher, projection].forEach((m) => m.dispose());
  });
});
