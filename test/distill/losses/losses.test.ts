import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../../src/backend/initTraining.js';
import { stopGradient } from '../../../src/distill/losses/stopGradient.js';
import { meanSquaredError, softmaxCrossEntropy } from '../../../src/distill/losses/taskLosses.js';
import { hardCe, logitKd, regressionKd, softCe } from '../../../src/distill/losses/kdLosses.js';
import { featureAlign } from '../../../src/distill/losses/featureLosses.js';
import { mutualLearningLosses } from '../../../src/distill/losses/mutualLearning.js';
import { multiLevelLoss } from '../../../src/distill/losses/multiLevel.js';
import { isKapriError } from '../../../src/core/errors.js';
import { thrown } from '../../support/thrown.js';

beforeAll(async () => {
  await initTraining();
});

// Plain-JS references for the golden values.
const softmax = (z: number[], tau = 1) => {
  const m = Math.max(...z.map((v) => v / tau));
  const e = z.map((v) => Math.exp(v / tau - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const kl = (p: number[], q: number[]) => p.reduce((a, pi, i) => a + pi * Math.log(pi / q[i]!), 0);
const zS = [
  [1, 2, 0.5],
  [0, -1, 3],
];
const zT = [
  [2, 0, 1],
  [0.5, 0.5, 2],
];
const val = (f: () => tf.Scalar) => tf.tidy(() => f().dataSync()[0]!);

describe('losses: golden values', () => {
  it('logit KD is τ²·KL(softmax(z_T/τ) ‖ softmax(z_S/τ)), batch mean', () => {
    const want = (16 * (kl(softmax(zT[0]!, 4), softmax(zS[0]!, 4)) + kl(softmax(zT[1]!, 4), softmax(zS[1]!, 4)))) / 2;
    expect(val(() => logitKd(tf.tensor2d(zS), tf.tensor2d(zT), 4))).toBeCloseTo(want, 5);
  });

  it('hard CE uses the teacher argmax as the label', () => {
    const want = -(Math.log(softmax(zS[0]!)[0]!) + Math.log(softmax(zS[1]!)[2]!)) / 2;
    expect(val(() => hardCe(tf.tensor2d(zS), tf.tensor2d(zT)))).toBeCloseTo(want, 5);
  });

  it('soft CE is −Σ softmax(z_T/τ)·log softmax(z_S)', () => {
    const row = (i: number) => -softmax(zT[i]!, 2).reduce((a, p, c) => a + p * Math.log(softmax(zS[i]!)[c]!), 0);
    expect(val(() => softCe(tf.tensor2d(zS), tf.tensor2d(zT), 2))).toBeCloseTo((row(0) + row(1)) / 2, 5);
  });

  it('softmax cross-entropy with class ids', () => {
    const want = -(Math.log(softmax(zS[0]!)[1]!) + Math.log(softmax(zS[1]!)[2]!)) / 2;
    expect(val(() => softmaxCrossEntropy(tf.tensor2d(zS), tf.tensor1d([1, 2], 'int32')))).toBeCloseTo(want, 5);
  });

  it('regression KD is the batch mean of the squared norm', () => {
    // rows: (1,2)-(0,0) → 5; (3,0)-(1,0) → 4 → mean 4.5
    expect(
      val(() =>
        regressionKd(
          tf.tensor2d([
            [1, 2],
            [3, 0],
          ]),
          tf.tensor2d([
            [0, 0],
            [1, 0],
          ]),
        ),
      ),
    ).toBeCloseTo(9 / 4, 6);
    expect(val(() => meanSquaredError(tf.tensor1d([1, 3]), tf.tensor1d([0, 0])))).toBeCloseTo(5, 6);
  });

  it('feature alignment: squared L2 and 1 − cos', () => {
    const s = [
      [1, 0],
      [1, 1],
    ];
    const t = [
      [0, 1],
      [2, 2],
    ];
    expect(val(() => featureAlign(tf.tensor2d(s), tf.tensor2d(t), 'l2', 2))).toBeCloseTo(2 * ((2 + 2) / 2), 5);
    expect(val(() => featureAlign(tf.tensor2d(s), tf.tensor2d(t), 'cosine'))).toBeCloseTo((1 + 0) / 2, 5);
  });

  it('cosine alignment has a finite gradient at a zero feature row (a dead ReLU)', () => {
    const s = tf.variable(
      tf.tensor2d([
        [0, 0],
        [1, 2],
      ]),
    );
    const { value, grads } = tf.variableGrads(
      () =>
        featureAlign(
          s,
          tf.tensor2d([
            [1, 0],
            [0, 0],
          ]),
          'cosine',
        ),
      [s],
    );
    expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
    expect(Array.from(grads[s.name]!.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([s, value, ...Object.values(grads)]);
  });

  it('multi-level loss weights CE, KL and MSE (1, 0.1, 1)', () => {
    const ce = -(Math.log(softmax(zS[0]!)[0]!) + Math.log(softmax(zS[1]!)[1]!)) / 2;
    const k = (kl(softmax(zT[0]!), softmax(zS[0]!)) + kl(softmax(zT[1]!), softmax(zS[1]!))) / 2;
    const mse = (1 + 4) / 4;
    const got = val(() =>
      multiLevelLoss(
        tf.tensor2d(zS),
        tf.tensor2d(zT),
        tf.tensor2d([
          [1, 0],
          [0, 2],
        ]),
        tf.tensor2d([
          [0, 0],
          [0, 0],
        ]),
        tf.tensor1d([0, 1], 'int32'),
      ),
    );
    expect(got).toBeCloseTo(ce + 0.1 * k + mse, 5);
  });

  it('mutual learning: CE to the teacher argmax plus the mean KL from each peer', () => {
    const z1 = zS;
    const z2 = [
      [0, 0, 0],
      [1, 1, 1],
    ];
    const [l1] = tf.tidy(() =>
      mutualLearningLosses([tf.tensor2d(z1), tf.tensor2d(z2)], tf.tensor2d(zT)).map((t) => t.dataSync()[0]!),
    );
    const ce = -(Math.log(softmax(z1[0]!)[0]!) + Math.log(softmax(z1[1]!)[2]!)) / 2;
    const peer = (kl(softmax(z2[0]!), softmax(z1[0]!)) + kl(softmax(z2[1]!), softmax(z1[1]!))) / 2;
    expect(l1).toBeCloseTo(ce + peer, 5);
  });
});

describe('losses: gradients and stop-gradient', () => {
  it('no gradient reaches the teacher through logit KD, soft CE or alignment', () => {
    const s = tf.variable(tf.tensor2d(zS));
    const t = tf.variable(tf.tensor2d(zT));
    const { grads } = tf.variableGrads(
      () => tf.addN([logitKd(s, t), softCe(s, t), featureAlign(s, t)]) as tf.Scalar,
      [s, t],
    );
    expect(Array.from(grads[t.name]!.dataSync()).every((g) => g === 0)).toBe(true);
    expect(Array.from(grads[s.name]!.dataSync()).some((g) => g !== 0)).toBe(true);
    tf.dispose([s, t, ...Object.values(grads)]);
  });

  it('stopGradient keeps the value and blocks the gradient; each mutual loss moves only its own student', () => {
    const x = tf.variable(tf.tensor1d([2, 3]));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(stopGradient(x), x)) as tf.Scalar, [x]);
    expect(value.dataSync()[0]).toBe(13);
    expect(Array.from(grads[x.name]!.dataSync())).toEqual([2, 3]);
    const a = tf.variable(tf.tensor2d(zS));
    const b = tf.variable(
      tf.tensor2d([
        [0, 1, 0],
        [1, 0, 0],
      ]),
    );
    const g = tf.variableGrads(() => mutualLearningLosses([a, b], tf.tensor2d(zT))[0]!, [a, b]).grads;
    expect(Array.from(g[b.name]!.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([x, value, a, b, ...Object.values(grads), ...Object.values(g)]);
  });

  it('the logit-KD gradient matches finite differences', () => {
    const s = tf.variable(tf.tensor2d(zS));
    const t = tf.tensor2d(zT);
    const { grads } = tf.variableGrads(() => logitKd(s, t, 2), [s]);
    const g = Array.from(grads[s.name]!.dataSync());
    const base = zS.flat();
    const h = 1e-2;
    [0, 2, 4].forEach((k) => {
      const up = base.slice();
      up[k]! += h;
      const dn = base.slice();
      dn[k]! -= h;
      const fd =
        (val(() => logitKd(tf.tensor2d(up, [2, 3]), t, 2)) - val(() => logitKd(tf.tensor2d(dn, [2, 3]), t, 2))) /
        (2 * h);
      expect(g[k]!).toBeCloseTo(fd, 3);
    });
    tf.dispose([s, t, ...Object.values(grads)]);
  });

  it('leaks no tensors', () => {
    const s = tf.tensor2d(zS);
    const t = tf.tensor2d(zT);
    const n = tf.memory().numTensors;
    tf.tidy(() => {
      mutualLearningLosses([s, t], t);
      logitKd(s, t);
    });
    expect(tf.memory().numTensors).toBe(n);
    tf.dispose([s, t]);
  });
});

describe('losses: bad input', () => {
  it.each([0, -1, Number.NaN])('refuses temperature %s', (tau) => {
    expect(
      isKapriError(
        thrown(() => tf.tidy(() => logitKd(tf.tensor2d(zS), tf.tensor2d(zT), tau))),
        'InvalidArgument',
      ),
    ).toBe(true);
  });

  it('refuses mismatched shapes, naming both', () => {
    const e = thrown(() => tf.tidy(() => logitKd(tf.tensor2d(zS), tf.tensor2d([[1, 2]]))));
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/\[2, 3\] and \[1, 2\]/);
  });

  it('refuses K < 2 for mutual learning', () => {
    expect(
      isKapriError(
        thrown(() => tf.tidy(() => mutualLearningLosses([tf.tensor2d(zS)], tf.tensor2d(zT)))),
        'InvalidArgument',
      ),
    ).toBe(true);
  });
});
