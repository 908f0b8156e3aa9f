import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { l2spPrior } from '../../src/priors/l2sp.js';
import { fisherPrior } from '../../src/priors/fisher.js';
import { atStrength, bindPrior, meanWeight, priorPenalty } from '../../src/priors/prior.js';
import { isKapriError } from '../../src/core/errors.js';

beforeAll(async () => {
  await initTraining();
});

describe('prior families', () => {
  it('l2sp is λ/2·Σ(θ − θ_src)², centred where it was built', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([5]));
    const p = l2spPrior({ enc: { w }, head: { b } } as never, { model: 'm', lambda: 4, layers: ['enc'] });
    expect(p.terms.map((t) => t.path)).toEqual(['enc/w']);
    w.assign(tf.tensor1d([2, 0]));
    // 4/2 · (1 + 4) = 10
    expect(priorPenalty(p, [w]).dataSync()[0]).toBeCloseTo(10, 5);
    tf.dispose([w, b]);
  });

  it('its gradient is λ(θ − μ)', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const p = l2spPrior({ w } as never, { model: 'm', lambda: 3 });
    w.assign(tf.tensor1d([2, 1]));
    const { grads } = tf.variableGrads(() => priorPenalty(p, [w]), [w]);
    expect(Array.from(grads[w.name]!.dataSync())).toEqual([3, -3]);
    tf.dispose([w, ...Object.values(grads)]);
  });

  it('fisher weights each parameter by the mean squared batch gradient', () => {
    const w = tf.variable(tf.tensor1d([1, -1]));
    // batch k loss = c_k · Σ w: gradient [c_k, c_k]; mean of c_k² over c = [1, 3] is 5.
    const cs = [1, 3];
    const p = fisherPrior({ w } as never, {
      model: 'm',
      lambda: 2,
      batches: 2,
      batchSize: 1,
      loss: (k) => tf.mul(tf.sum(w), cs[k]!) as tf.Scalar,
    });
    expect(Array.from(p.terms[0]!.weight)).toEqual([5, 5]);
    w.assign(tf.tensor1d([2, -1]));
    expect(priorPenalty(p, [w]).dataSync()[0]).toBeCloseTo(5, 5);
    w.dispose();
  });

  it('refuses a negative λ and layers that match nothing', () => {
    const w = tf.variable(tf.tensor1d([1]));
    expect(() => l2spPrior({ w } as never, { model: 'm', lambda: -1 })).toThrow(/lambda/);
    let e: unknown = null;
    try {
      l2spPrior({ w } as never, { model: 'm', lambda: 1, layers: ['nothing'] });
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'InvalidConfig')).toBe(true);
    w.dispose();
  });

  it('binding a prior to another architecture names the mismatch', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const p = l2spPrior({ w } as never, { model: 'm', lambda: 1 });
    const w3 = tf.variable(tf.tensor1d([1, 2, 3]));
    expect(() => bindPrior(p, { w: w3 } as never, 'm')).toThrow(/shape \[2\].*\[3\]/);
    expect(() => bindPrior(p, { v: w } as never, 'm')).toThrow(/'w'/);
    expect(() => bindPrior(p, { w } as never, 'other')).toThrow(/model 'm'/);
    tf.dispose([w, w3]);
  });

  it('atStrength sets the mean per-parameter weight to λ/2 and keeps the shape across parameters', () => {
    const w = tf.variable(tf.tensor1d([1, -1, 0.5]));
    const cs = [1, 3];
    const p = fisherPrior({ w } as never, {
      model: 'm',
      lambda: 1,
      batches: 2,
      batchSize: 1,
      loss: (k) => tf.mul(tf.sum(tf.mul(w, tf.tensor1d([1, 2, 3]))), cs[k]!) as tf.Scalar,
    });
    // Fisher weights are 1/2 · 5 · [1, 4, 9]: at λ = 0.6 the mean becomes 0.3, the ratios stay 1 : 4 : 9.
    const q = atStrength(p, 0.6);
    expect(meanWeight(q)).toBeCloseTo(0.3, 6);
    const ws = Array.from(q.terms[0]!.weight);
    expect(ws[1]! / ws[0]!).toBeCloseTo(4, 5);
    expect(ws[2]! / ws[0]!).toBeCloseTo(9, 5);
    expect(q.meta['lambda']).toBe(0.6);
    w.dispose();
  });

  it('atStrength on l2sp gives λ/2 everywhere, counting a per-tensor weight once per parameter', () => {
    const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
    const p = l2spPrior({ w } as never, { model: 'm', lambda: 7 });
    expect(meanWeight(p)).toBeCloseTo(3.5, 6);
    expect(Array.from(atStrength(p, 0.2).terms[0]!.weight)).toEqual([Math.fround(0.1)]);
    w.dispose();
  });

  it('atStrength refuses a negative or non-finite strength and an all-zero prior', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const p = l2spPrior({ w } as never, { model: 'm', lambda: 1 });
    for (const bad of [-1, Number.NaN, Infinity]) {
      let e: unknown = null;
      try {
        atStrength(p, bad);
      } catch (err) {
        e = err;
      }
      expect(isKapriError(e, 'InvalidConfig')).toBe(true);
    }
    let e: unknown = null;
    try {
      atStrength(l2spPrior({ w } as never, { model: 'm', lambda: 0 }), 1);
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'NumericalError')).toBe(true);
    w.dispose();
  });
});
