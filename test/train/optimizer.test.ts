import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { createOptimizer } from '../../src/train/optimizer.js';
import { thrown } from '../support/thrown.js';

beforeAll(async () => {
  await initTraining();
});

const values = (seed: number, n: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
};

/** Runs `steps` updates of a quadratic loss Σ (θ − target)² with our optimizer and with tfjs's own. */
const against = (
  ours: (v: tf.Variable[]) => ReturnType<typeof createOptimizer>,
  theirs: tf.Optimizer,
  lr: number,
  steps: number,
) => {
  const shapes = [[3, 4], [5]];
  const make = () =>
    shapes.map((s, i) =>
      tf.variable(
        tf.tensor(
          values(
            10 + i,
            s.reduce((a, b) => a * b, 1),
          ),
          s,
        ),
      ),
    );
  const targets = shapes.map((s, i) =>
    tf.tensor(
      values(
        20 + i,
        s.reduce((a, b) => a * b, 1),
      ),
      s,
    ),
  );
  const loss = (vs: tf.Variable[]) => tf.addN(vs.map((v, i) => tf.sum(tf.square(tf.sub(v, targets[i]!))))) as tf.Scalar;
  const a = make();
  const b = make();
  const opt = ours(a);
  for (let s = 0; s < steps; s++) {
    const { value, grads } = tf.variableGrads(() => loss(a), a);
    opt.step(
      a.map((v) => grads[v.name]),
      lr,
    );
    tf.dispose([value, ...Object.values(grads)]);
    tf.tidy(() => {
      theirs.minimize(() => loss(b), false, b);
    });
  }
  const diff = Math.max(...a.map((v, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, b[i]!))).dataSync()[0]!)));
  const moved = Math.max(
    ...a.map((v, i) =>
      tf.tidy(() => tf.max(tf.abs(tf.sub(v, tf.tensor(values(10 + i, v.size), v.shape)))).dataSync()[0]!),
    ),
  );
  opt.dispose();
  theirs.dispose();
  tf.dispose([...a, ...b, ...targets]);
  return { diff, moved };
};

describe('createOptimizer', () => {
  it("follows tfjs's Adam to float32 rounding over 50 steps", () => {
    const r = against((v) => createOptimizer({ kind: 'adam' }, v), tf.train.adam(0.05, 0.9, 0.999, 1e-8), 0.05, 50);
    expect(r.moved).toBeGreaterThan(0.5);
    // float32 (tfjs) against float64 arithmetic rounded per step: 1e-5 after 50 steps of size 0.05.
    expect(r.diff).toBeLessThan(5e-5);
  });

  it("follows tfjs's momentum SGD (and its Nesterov form) to float32 rounding over 30 steps", () => {
    for (const nesterov of [false, true]) {
      const r = against(
        (v) => createOptimizer({ kind: 'sgd', momentum: 0.8, nesterov }, v),
        tf.train.momentum(0.02, 0.8, nesterov),
        0.02,
        30,
      );
      expect(r.moved).toBeGreaterThan(0.5);
      expect(r.diff).toBeLessThan(1e-5);
    }
  });

  it('decays weights decoupled from the gradient: θ ← θ(1 − lr·wd) − lr·g with zero momentum', () => {
    const v = tf.variable(tf.tensor1d([2, -4]));
    const opt = createOptimizer({ kind: 'sgd', momentum: 0 }, [v], 0.5);
    opt.step([tf.tensor1d([1, 1])], 0.1);
    const got = Array.from(v.dataSync());
    expect(got[0]).toBeCloseTo(2 * 0.95 - 0.1, 6);
    expect(got[1]).toBeCloseTo(-4 * 0.95 - 0.1, 6);
    opt.dispose();
    v.dispose();
  });

  it('leaves a variable without a gradient untouched, weight decay included', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const opt = createOptimizer({ kind: 'adam' }, [v], 0.1);
    opt.step([undefined], 0.1);
    expect(Array.from(v.dataSync())).toEqual([1, 2]);
    opt.dispose();
    v.dispose();
  });

  it('leaves no tensor behind after a step', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const g = tf.tensor1d([0.1, 0.2, 0.3]);
    const opt = createOptimizer({ kind: 'adam' }, [v]);
    const before = tf.memory().numTensors;
    opt.step([g], 0.01);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    tf.dispose([v, g]);
  });

  it('refuses a gradient whose size is not the variable’s, and a negative weight decay', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const opt = createOptimizer({ kind: 'adam' }, [v]);
    const e = thrown(() => opt.step([tf.tensor1d([1, 2, 3])], 0.01));
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect(String((e as Error).message)).toMatch(/3 values, the variable 2/);
    const d = thrown(() => createOptimizer({ kind: 'adam' }, [v], -1));
    expect(isKapriError(d, 'InvalidConfig')).toBe(true);
    opt.dispose();
    v.dispose();
  });
});
