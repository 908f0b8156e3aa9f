import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTraining } from '../../src/backend/initTraining.js';
import { isKapriError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { cmkdObjective } from '../../src/distill/cmkd.js';
import { givenTeacher } from '../../src/distill/givenTeacher.js';
import { createProjection } from '../../src/distill/projection.js';
import { headSpec } from '../../src/nn/architectures.js';
import { createModel } from '../../src/nn/model.js';

beforeAll(async () => {
  await initTraining();
});

// Two samples: outputs [1, 2, 3] and [4, 5, 6], features [-1, -2] and [-3, -4].
const rows = () => tf.tensor2d([1, 2, 3, -1, -2, 4, 5, 6, -3, -4], [2, 5]);

describe('a teacher given as outputs', () => {
  it('returns the given outputs, times the label scale, and the given features', () => {
    const t = givenTeacher(3, 2, 0.5);
    const x = rows();
    const { output, feature } = t.forward([x], { training: false });
    expect(Array.from(output.dataSync())).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(Array.from(feature.dataSync())).toEqual([-1, -2, -3, -4]);
    expect(t.featureDim).toBe(2);
    tf.dispose([x, output, feature]);
  });

  it('has no weights to train and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const t = givenTeacher(3, 2);
    const x = rows();
    const out = t.forward([x], { training: true });
    tf.dispose([x, out.output, out.feature]);
    t.dispose();
    expect(t.variables).toEqual([]);
    expect(t.paramCount).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uses the outputs as the feature when no features are given', () => {
    const t = givenTeacher(5, 0);
    const x = rows();
    const { output, feature } = t.forward([x], { training: false });
    expect(Array.from(feature.dataSync())).toEqual(Array.from(output.dataSync()));
    tf.dispose([x, output, feature]);
  });

  it('refuses rows of another width', () => {
    const t = givenTeacher(2, 0);
    const x = rows();
    let e: unknown;
    try {
      t.forward([x], { training: false });
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/reads rows of 2 values \(2 outputs \+ 0 features\), got \[2, 5\]/);
    x.dispose();
  });

  it('is what CMKD distils from: the KD term is the KD loss against the given outputs', () => {
    const rng = createRng(3);
    const student = createModel(
      'student',
      [{ name: 'enc', inputShape: [4], layers: [{ kind: 'dense', name: 'h', units: 6, activation: 'relu' }] }],
      (f) => headSpec({ featureDim: f, outputs: 3, hidden: 8, name: 'head' }),
      rng.fork('s'),
    );
    const teacher = givenTeacher(3, 2);
    const projection = createProjection('linear', [student.featureDim], [2], rng.fork('p'));
    const weak = tf.tensor2d([0.1, 0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [2, 4]);
    const superior = rows();
    const kd = (s: tf.Tensor, t: tf.Tensor) => tf.mean(tf.square(tf.sub(s, t))) as tf.Scalar;
    const got = cmkdObjective(
      { student, teacher, projection, losses: { task: kd, kd, lambdaKd: 2, lambdaFeat: 0 } },
      { weak, superior },
    );
    const s = student.forward([weak], { training: true }).output;
    const want = tf.mul(kd(s, tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])), 2);
    expect(got.dataSync()[0]).toBeCloseTo(want.dataSync()[0]!, 5);
    tf.dispose([weak, superior, got, s, want]);
    student.dispose();
    projection.dispose();
  });
});
