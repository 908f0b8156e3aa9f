import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createKapState, kapPenalty, kapToPrior, metaGradient, type KapState } from '../../src/priors/kapPrior.js';
import { priorPenalty } from '../../src/priors/prior.js';
import { isKapriError } from '../../src/core/errors.js';

beforeAll(async () => {
  await initTraining();
});

const setup = (granularity: 'parameter' | 'tensor', form: 'gaussian' | 'laplace') => {
  const theta = tf.variable(tf.tensor1d([0.3, -0.2, 0.5]));
  const other = tf.variable(tf.tensor1d([1.0, 2.0]));
  const s = createKapState({ theta, other } as never, {
    model: 'tiny',
    layers: ['theta'],
    granularity,
    form,
    initWeight: 0.7,
  });
  // Move θ away from μ, as CMKD steps would; otherwise g′(θ − μ) = 0 and every meta-gradient vanishes.
  theta.assign(tf.tensor1d([0.8, -0.6, 0.1]));
  const a = tf.tensor1d([0.5, 1.5, -1]);
  const b = tf.tensor1d([1, -2, 0.5]);
  // A non-quadratic inner loss and an outer loss that depends on θ′ non-linearly.
  const innerLoss = () => tf.sum(tf.mul(tf.square(tf.sub(theta, a)), tf.add(tf.abs(theta), 1))) as tf.Scalar;
  const metaLoss = () => tf.add(tf.sum(tf.mul(tf.sin(tf.mul(theta, 2)), b)), tf.sum(tf.square(theta))) as tf.Scalar;
  return { theta, other, s, innerLoss, metaLoss, dispose: () => tf.dispose([theta, other, a, b]) };
};

const finiteDifference = (s: KapState, f: () => number, h: number): number[] => {
  const phi = s.phi[0]!;
  const base = Array.from(phi.dataSync());
  return base.map((_, i) => {
    const plus = base.slice();
    plus[i]! += h;
    phi.assign(tf.tensor(plus, phi.shape));
    const lp = f();
    const minus = base.slice();
    minus[i]! -= h;
    phi.assign(tf.tensor(minus, phi.shape));
    const lm = f();
    phi.assign(tf.tensor(base, phi.shape));
    return (lp - lm) / (2 * h);
  });
};

describe('KaP meta-gradient', () => {
  it.each([
    ['parameter', 'gaussian'],
    ['tensor', 'gaussian'],
    ['parameter', 'laplace'],
  ] as const)(
    'equals finite differences of L_meta(θ′(φ)) for one inner step (φ per %s, %s form)',
    (granularity, form) => {
      const t = setup(granularity, form);
      const opts = { alpha: 0.3, innerLoss: t.innerLoss, metaLoss: t.metaLoss };
      const r = metaGradient(t.s, opts);
      const analytic = Array.from(r.phiGrads[0]!.dataSync());
      const numeric = finiteDifference(
        t.s,
        () => {
          const q = metaGradient(t.s, opts);
          tf.dispose([...q.phiGrads, ...q.thetaGrads]);
          return q.metaLossValue;
        },
        1e-2,
      );
      analytic.forEach((g, i) => expect(g).toBeCloseTo(numeric[i]!, 3));
      expect(analytic.some((g) => Math.abs(g) > 1e-3)).toBe(true);
      tf.dispose([...r.phiGrads, ...r.thetaGrads]);
      t.s.dispose();
      t.dispose();
    },
  );

  it('restores θ after computing the meta-gradient and leaks no tensors', () => {
    const t = setup('parameter', 'gaussian');
    const before = Array.from(t.theta.dataSync());
    const n = tf.memory().numTensors;
    const r = metaGradient(t.s, { alpha: 0.3, innerSteps: 3, innerLoss: t.innerLoss, metaLoss: t.metaLoss });
    tf.dispose([...r.phiGrads, ...r.thetaGrads]);
    expect(tf.memory().numTensors).toBe(n);
    expect(Array.from(t.theta.dataSync())).toEqual(before);
    t.s.dispose();
    t.dispose();
  });

  it('refuses a non-positive inner step size or inner step count', () => {
    const t = setup('parameter', 'gaussian');
    for (const bad of [{ alpha: 0 }, { alpha: 0.1, innerSteps: 0 }]) {
      let e: unknown = null;
      try {
        metaGradient(t.s, { ...bad, innerLoss: t.innerLoss, metaLoss: t.metaLoss });
      } catch (err) {
        e = err;
      }
      expect(isKapriError(e, 'InvalidConfig')).toBe(true);
    }
    t.s.dispose();
    t.dispose();
  });
});

describe('KaP penalty', () => {
  it('equals Σ softplus(φ)·(θ − μ)² by hand, and its data form gives the same value', () => {
    const t = setup('parameter', 'gaussian');
    // μ = [0.3, −0.2, 0.5], θ = [0.8, −0.6, 0.1], softplus(φ) = 0.7: 0.7·(0.25 + 0.16 + 0.16) = 0.399
    expect(kapPenalty(t.s).dataSync()[0]).toBeCloseTo(0.399, 5);
    const prior = kapToPrior(t.s);
    expect(priorPenalty(prior, [t.theta]).dataSync()[0]).toBeCloseTo(0.399, 5);
    t.s.dispose();
    t.dispose();
  });

  it('uses |θ − μ| in the Laplace form', () => {
    const t = setup('tensor', 'laplace');
    // 0.7·(0.5 + 0.4 + 0.4) = 0.91
    expect(kapPenalty(t.s).dataSync()[0]).toBeCloseTo(0.91, 5);
    t.s.dispose();
    t.dispose();
  });
});
