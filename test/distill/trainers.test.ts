import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { createModel } from '../../src/nn/model.js';
import { headSpec } from '../../src/nn/architectures.js';
import type { NetworkSpec } from '../../src/nn/layerSpec.js';
import { copyFeedbackGradient, trainWithFeedback } from '../../src/distill/feedback.js';
import { ensembleProbabilities, trainEnsemble } from '../../src/distill/ensemble.js';
import { trainSupervisionTransfer } from '../../src/distill/supervisionTransfer.js';
import { createProjection } from '../../src/distill/projection.js';
import type { SourceBatch } from '../../src/distill/batches.js';

beforeAll(async () => {
  await initTraining();
});

const mlp = (name: string, d: number): NetworkSpec => ({
  name,
  inputShape: [d],
  layers: [{ kind: 'dense', name: 'h', units: 5, activation: 'relu' }],
});
const classifier = (name: string, d: number, seed: number) =>
  createModel(name, [mlp(`${name}e`, d)], (f) => headSpec({ featureDim: f, outputs: 3 }), createRng(seed));
const ce = (logits: tf.Tensor2D, label: tf.Tensor) =>
  tf.losses.softmaxCrossEntropy(tf.oneHot(label as tf.Tensor1D, 3), logits) as tf.Scalar;
const kd = (s: tf.Tensor2D, t: tf.Tensor2D) =>
  tf.mean(tf.sum(tf.mul(tf.softmax(t), tf.sub(tf.logSoftmax(t), tf.logSoftmax(s))), 1)) as tf.Scalar;

const batch = (seed: number, n = 12): SourceBatch => {
  const rng = createRng(seed);
  const y = Array.from({ length: n }, () => rng.int(3));
  const sup = y.flatMap((c) => [c === 0 ? 2 : 0, c === 1 ? 2 : 0, c === 2 ? 2 : 0].map((v) => v + 0.2 * rng.normal()));
  const weak = y.flatMap((c) => [c - 1 + rng.normal(), rng.normal(), (c === 2 ? 1 : 0) + rng.normal(), rng.normal()]);
  return { weak: tf.tensor2d(weak, [n, 4]), superior: tf.tensor2d(sup, [n, 3]), label: tf.tensor1d(y, 'int32') };
};

describe('EmotionKD feedback', () => {
  it("the teacher's feedback gradient equals finite differences of CE(y, p_c′(T)) in the teacher's weights", () => {
    const student = classifier('s', 4, 1);
    const teacher = classifier('t', 3, 2);
    const b = batch(3);
    const parts = { student, teacher, kd, ce, copyLr: 0.5 };
    const fb = copyFeedbackGradient(parts, b.weak, b.superior, b.label!);
    // The objective directly: take the copy's step for given teacher weights, then CE.
    const objective = (): number => {
      const saved = student.variables.map((v) => tf.clone(v));
      const { grads } = tf.variableGrads(
        () =>
          kd(
            student.forward([b.weak], { training: false }).output,
            teacher.forward([b.superior], { training: false }).output,
          ),
        student.variables,
      );
      tf.tidy(() => student.variables.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.5)))));
      const val = tf.tidy(() => ce(student.forward([b.weak], { training: false }).output, b.label!).dataSync()[0]!);
      student.variables.forEach((v, i) => v.assign(saved[i]!));
      tf.dispose([...saved, ...Object.values(grads)]);
      return val;
    };
    const w = teacher.variables[teacher.variables.length - 2]!; // the head's weights
    const idx = teacher.variables.indexOf(w);
    const base = Array.from(w.dataSync());
    const h = 1e-2;
    const analytic = Array.from(fb.grads[idx]!.dataSync());
    for (const k of [0, 4, 7]) {
      const p = base.slice();
      p[k]! += h;
      w.assign(tf.tensor(p, w.shape));
      const up = objective();
      p[k]! -= 2 * h;
      w.assign(tf.tensor(p, w.shape));
      const down = objective();
      w.assign(tf.tensor(base, w.shape));
      expect(Math.abs(analytic[k]!)).toBeGreaterThan(1e-3);
      expect(analytic[k]!).toBeCloseTo((up - down) / (2 * h), 4);
    }
    tf.dispose([...fb.grads, ...Object.values(b)]);
    [student, teacher].forEach((m) => m.dispose());
  });

  it('runs the teach / copy / feedback schedule without leaking tensors', async () => {
    const student = classifier('s', 4, 1);
    const teacher = classifier('t', 3, 2);
    const o = {
      student,
      teacher,
      batches: (k: number) => batch(10 + k),
      studentLoss: (so: tf.Tensor2D, to: tf.Tensor2D, _tf: tf.Tensor2D, _sf: tf.Tensor2D, y: tf.Tensor) =>
        tf.add(ce(so, y), tf.mul(kd(so, to), 0.1)) as tf.Scalar,
      kd,
      ce,
      studentLr: 0.01,
      teacherLr: 0.01,
      copyLr: 0.1,
    };
    await trainWithFeedback({ ...o, steps: 1 });
    const n = tf.memory().numTensors;
    const r = await trainWithFeedback({ ...o, steps: 5 });
    expect(tf.memory().numTensors).toBe(n);
    expect(r.studentLosses).toHaveLength(5);
    [student, teacher].forEach((m) => m.dispose());
  });
});

describe('mutual-learning ensemble', () => {
  it('trains K students from the teacher alone and predicts with the mean softmax', async () => {
    const teacher = classifier('t', 3, 2);
    const students = [classifier('a', 4, 3), classifier('b', 4, 4)];
    const mutual = (zs: tf.Tensor2D[], zt: tf.Tensor2D) => zs.map((z) => kd(z, zt));
    const unlabelled = (k: number): SourceBatch => {
      const b = batch(20 + k);
      b.label!.dispose();
      return { weak: b.weak, superior: b.superior };
    };
    const r = await trainEnsemble({
      students,
      teacher,
      batches: unlabelled,
      mutualLoss: mutual,
      config: { steps: 5, lr: 0.01, optimizer: { kind: 'adam' } },
    });
    expect(r.stepsRun).toBe(5);
    const b = batch(99);
    const p = ensembleProbabilities(students, b.weak);
    Array.from(tf.tidy(() => tf.sum(p, 1)).dataSync()).forEach((s) => expect(s).toBeCloseTo(1, 5));
    tf.dispose([p, ...Object.values(b)]);
    [teacher, ...students].forEach((m) => m.dispose());
  });

  it('refuses K < 2', async () => {
    const teacher = classifier('t', 3, 2);
    const s = classifier('a', 4, 3);
    await expect(
      trainEnsemble({
        students: [s],
        teacher,
        batches: () => batch(1),
        mutualLoss: () => [],
        config: { steps: 1, lr: 0.01, optimizer: { kind: 'adam' } },
      }),
    ).rejects.toThrow(/K ≥ 2/);
    [teacher, s].forEach((m) => m.dispose());
  });
});

describe('supervision transfer', () => {
  it('regresses the projected student feature onto the teacher feature without labels, then fine-tunes', async () => {
    const teacher = classifier('t', 3, 2);
    const student = classifier('s', 4, 3);
    const projection = createProjection('linear', [5], [5], createRng(4));
    const align = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar;
    const probe = batch(50, 64);
    const gap = () =>
      tf.tidy(
        () =>
          align(
            projection.apply(student.forward([probe.weak], { training: false }).feature),
            teacher.forward([probe.superior], { training: false }).feature,
          ).dataSync()[0]!,
      );
    const before = gap();
    const r = await trainSupervisionTransfer({
      student,
      teacher,
      projection,
      pairedBatches: (k) => batch(100 + k),
      labelledBatches: (k) => batch(200 + k),
      align,
      taskLoss: ce,
      transferConfig: { steps: 60, lr: 0.02, optimizer: { kind: 'adam' } },
      finetuneConfig: { steps: 5, lr: 0.01, optimizer: { kind: 'adam' } },
    });
    expect(gap()).toBeLessThan(before);
    expect(r.finetune.stepsRun).toBe(5);
    tf.dispose(Object.values(probe));
    [teacher, student, projection].forEach((m) => m.dispose());
  });
});
