import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { trainLoop } from '../../src/train/trainLoop.js';

beforeAll(async () => {
  await initTraining();
});

const regression = (seed: number) => {
  const rng = createRng(seed);
  const n = 64;
  const xs = Float32Array.from({ length: n * 3 }, () => rng.normal());
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) ys[i] = 2 * xs[3 * i]! - xs[3 * i + 1]! + 0.5 * xs[3 * i + 2]! + 1;
  return { x: tf.tensor2d(xs, [n, 3]), y: tf.tensor2d(ys, [n, 1]) };
};

describe('trainLoop', () => {
  it('fits a linear regression to near-zero loss with Adam and a cosine schedule', async () => {
    const { x, y } = regression(1);
    const w = tf.variable(tf.zeros([3, 1]));
    const b = tf.variable(tf.zeros([1]));
    const r = await trainLoop({
      variables: [w, b],
      loss: () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar,
      config: { steps: 300, lr: 0.05, optimizer: { kind: 'adam' }, schedule: { kind: 'cosine', warmupSteps: 10 } },
    });
    expect(r.finalLoss).toBeLessThan(1e-3);
    expect(Array.from(w.dataSync()).map((v) => Math.round(v * 10) / 10)).toEqual([2, -1, 0.5]);
    tf.dispose([x, y, w, b]);
  });

  it('applies exactly the Adam update on the first step (θ − lr·sign(g) up to ε)', async () => {
    const v = tf.variable(tf.tensor1d([1, -2]));
    await trainLoop({
      variables: [v],
      loss: () => tf.sum(tf.mul(v, tf.tensor1d([3, -0.5]))) as tf.Scalar,
      config: { steps: 1, lr: 0.1, optimizer: { kind: 'adam' } },
    });
    const got = Array.from(v.dataSync());
    expect(got[0]).toBeCloseTo(0.9, 6);
    expect(got[1]).toBeCloseTo(-1.9, 6);
    v.dispose();
  });

  it('applies SGD with momentum as v ← μv + g, θ ← θ − lr·v', async () => {
    const v = tf.variable(tf.scalar(0));
    // loss = 2θ: g = 2 every step. v1 = 2, θ1 = −0.2; v2 = 0.9·2 + 2 = 3.8, θ2 = −0.2 − 0.38 = −0.58.
    await trainLoop({
      variables: [v],
      loss: () => tf.mul(v, 2) as tf.Scalar,
      config: { steps: 2, lr: 0.1, optimizer: { kind: 'sgd', momentum: 0.9 } },
    });
    expect(v.dataSync()[0]).toBeCloseTo(-0.58, 6);
    v.dispose();
  });

  it('applies decoupled weight decay θ ← θ(1 − lr·wd) − lr·update', async () => {
    const v = tf.variable(tf.scalar(1));
    await trainLoop({
      variables: [v],
      loss: () => tf.mul(v, 0) as tf.Scalar,
      config: { steps: 1, lr: 0.1, weightDecay: 0.5, optimizer: { kind: 'sgd', momentum: 0 } },
    });
    expect(v.dataSync()[0]).toBeCloseTo(0.95, 6);
    v.dispose();
  });

  it('stops with NumericalError naming the step when the loss becomes NaN, and never writes NaN weights', async () => {
    const v = tf.variable(tf.scalar(1));
    let e: unknown = null;
    try {
      await trainLoop({
        variables: [v],
        loss: (step) => (step < 3 ? tf.square(v) : tf.mul(tf.square(v), Number.NaN)) as tf.Scalar,
        config: { steps: 10, lr: 0.01, optimizer: { kind: 'adam' } },
      });
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'NumericalError')).toBe(true);
    expect((e as Error).message).toMatch(/step 3/);
    expect(Number.isFinite(v.dataSync()[0]!)).toBe(true);
    v.dispose();
  });

  it('keeps the best validated weights and stops after `patience` validations without improvement', async () => {
    const v = tf.variable(tf.scalar(0));
    const vals = [1, 5, 3, 2, 2, 2, 2, 2];
    let k = 0;
    let atBest = Number.NaN;
    const r = await trainLoop({
      variables: [v],
      loss: () => tf.mul(v, -1) as tf.Scalar,
      validate: () => {
        const val = vals[k++]!;
        if (val === 5) atBest = v.dataSync()[0]!;
        return val;
      },
      config: { steps: 80, lr: 0.1, optimizer: { kind: 'sgd', momentum: 0 }, evalEvery: 10, patience: 2 },
    });
    expect(r.bestVal).toBe(5);
    expect(r.bestStep).toBe(20);
    expect(r.stoppedEarly).toBe(true);
    expect(r.stepsRun).toBe(40);
    expect(v.dataSync()[0]).toBeCloseTo(atBest, 6);
    v.dispose();
  });

  it('restores the state (batch-norm statistics) of the best validation together with its weights', async () => {
    const v = tf.variable(tf.scalar(0));
    // A running statistic the loss updates without gradients, as batch norm does in training mode.
    const stat = tf.variable(tf.scalar(0), false);
    const vals = [1, 5, 3, 2];
    let k = 0;
    let statAtBest = Number.NaN;
    await trainLoop({
      variables: [v],
      state: [stat],
      loss: (step) => {
        stat.assign(tf.scalar(step + 1));
        return tf.mul(v, -1) as tf.Scalar;
      },
      validate: () => {
        const val = vals[k++]!;
        if (val === 5) statAtBest = stat.dataSync()[0]!;
        return val;
      },
      config: { steps: 40, lr: 0.1, optimizer: { kind: 'sgd', momentum: 0 }, evalEvery: 10 },
    });
    expect(statAtBest).toBe(20);
    expect(stat.dataSync()[0]).toBe(20);
    tf.dispose([v, stat]);
  });

  it('is deterministic for the same seeded data', async () => {
    const run = async () => {
      const { x, y } = regression(7);
      const w = tf.variable(tf.zeros([3, 1]));
      await trainLoop({
        variables: [w],
        loss: () => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))) as tf.Scalar,
        config: { steps: 20, lr: 0.01, optimizer: { kind: 'adam' } },
      });
      const out = Array.from(w.dataSync());
      tf.dispose([x, y, w]);
      return out;
    };
    expect(await run()).toEqual(await run());
  });

  it('leaks no tensors across steps', async () => {
    const { x, y } = regression(2);
    const w = tf.variable(tf.zeros([3, 1]));
    const loss = () => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))) as tf.Scalar;
    await trainLoop({ variables: [w], loss, config: { steps: 2, lr: 0.01, optimizer: { kind: 'adam' } } });
    const before = tf.memory().numTensors;
    await trainLoop({ variables: [w], loss, config: { steps: 25, lr: 0.01, optimizer: { kind: 'adam' } } });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, w]);
  });

  it.each([
    [{ steps: 0, lr: 0.1 }, /steps/],
    [{ steps: 5, lr: 0 }, /learning rate/],
    [{ steps: 5, lr: Number.NaN }, /learning rate/],
  ])('refuses a bad config %o', async (c, msg) => {
    const v = tf.variable(tf.scalar(0));
    await expect(
      trainLoop({
        variables: [v],
        loss: () => tf.square(v) as tf.Scalar,
        config: { ...c, optimizer: { kind: 'adam' } },
      }),
    ).rejects.toThrow(msg);
    v.dispose();
  });
});

describe('trainLoop with unused variables', () => {
  it('leaves a variable that takes no part in the loss unchanged', async () => {
    const used = tf.variable(tf.scalar(1));
    const unused = tf.variable(tf.scalar(5));
    await trainLoop({
      variables: [used, unused],
      loss: () => tf.square(used) as tf.Scalar,
      config: { steps: 3, lr: 0.1, weightDecay: 0.1, optimizer: { kind: 'adam' } },
    });
    expect(unused.dataSync()[0]).toBe(5);
    expect(used.dataSync()[0]).toBeLessThan(1);
    tf.dispose([used, unused]);
  });
});
