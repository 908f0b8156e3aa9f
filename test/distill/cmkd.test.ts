import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { createModel } from '../../src/nn/model.js';
import { headSpec } from '../../src/nn/architectures.js';
import type { NetworkSpec } from '../../src/nn/layerSpec.js';
import { createProjection } from '../../src/distill/projection.js';
import { trainCmkd, cmkdObjective } from '../../src/distill/cmkd.js';
import { trainSupervised } from '../../src/distill/trainTeacher.js';
import type { SourceBatch } from '../../src/distill/batches.js';

beforeAll(async () => {
  await initTraining();
});

const mlp = (name: string, d: number): NetworkSpec => ({
  name,
  inputShape: [d],
  layers: [{ kind: 'dense', name: 'h', units: 8, activation: 'relu' }],
});
const mse = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar;

/** y = Σ z; superior = z (clean), weak = z + noise in 3 extra dims. */
const source = (n: number, seed: number) => {
  const rng = createRng(seed);
  const z = Float32Array.from({ length: n * 3 }, () => rng.normal());
  const weak = new Float32Array(n * 6);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      weak[i * 6 + k] = z[i * 3 + k]! + 0.3 * rng.normal();
      weak[i * 6 + 3 + k] = rng.normal();
    }
    y[i] = z[i * 3]! + z[i * 3 + 1]! - z[i * 3 + 2]!;
  }
  return { z, weak, y, n };
};

const batcher = (d: ReturnType<typeof source>, bs: number, seed: number) => {
  const rng = createRng(seed);
  return (): SourceBatch => {
    const idx = Array.from({ length: bs }, () => rng.int(d.n));
    return {
      weak: tf.tensor2d(
        idx.flatMap((i) => Array.from(d.weak.subarray(i * 6, i * 6 + 6))),
        [bs, 6],
      ),
      superior: tf.tensor2d(
        idx.flatMap((i) => Array.from(d.z.subarray(i * 3, i * 3 + 3))),
        [bs, 3],
      ),
      label: tf.tensor2d(
        idx.map((i) => d.y[i]!),
        [bs, 1],
      ),
    };
  };
};

describe('CMKD', () => {
  it('trains the student toward the task and the frozen teacher, leaving the teacher unchanged', async () => {
    const d = source(256, 1);
    const teacher = createModel('t', [mlp('te', 3)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(1));
    await trainSupervised({
      model: teacher,
      modality: 'superior',
      batches: batcher(d, 32, 2),
      taskLoss: mse,
      config: { steps: 150, lr: 0.02, optimizer: { kind: 'adam' } },
    });
    const teacherBefore = teacher.variables.map((v) => Array.from(v.dataSync()));
    const student = createModel('s', [mlp('se', 6)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(3));
    const projection = createProjection('linear', [8], [8], createRng(4));
    const parts = {
      student,
      teacher,
      projection,
      losses: { task: mse, kd: mse, align: mse, lambdaKd: 1, lambdaFeat: 0.1 },
    };
    const evalBatch = batcher(d, 128, 9)();
    const before = tf.tidy(() => cmkdObjective(parts, evalBatch).dataSync()[0]!);
    const r = await trainCmkd({
      ...parts,
      batches: batcher(d, 32, 5),
      config: { steps: 150, lr: 0.02, optimizer: { kind: 'adam' } },
    });
    const after = tf.tidy(() => cmkdObjective(parts, evalBatch).dataSync()[0]!);
    expect(after).toBeLessThan(before / 3);
    expect(r.stepsRun).toBe(150);
    expect(teacher.variables.map((v) => Array.from(v.dataSync()))).toEqual(teacherBefore);
    tf.dispose(Object.values(evalBatch));
    [teacher, student, projection].forEach((m) => m.dispose());
  });

  it('keeps the tensor count flat across CMKD steps', async () => {
    const d = source(64, 2);
    const teacher = createModel('t', [mlp('te', 3)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(1));
    const student = createModel('s', [mlp('se', 6)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(3));
    const projection = createProjection('lowRank', [8], [8], createRng(4), 2);
    const opts = {
      student,
      teacher,
      projection,
      losses: { task: mse, kd: mse, align: mse, lambdaKd: 1, lambdaFeat: 1 },
      batches: batcher(d, 8, 1),
    };
    await trainCmkd({ ...opts, config: { steps: 2, lr: 0.01, optimizer: { kind: 'adam' } } });
    const n = tf.memory().numTensors;
    await trainCmkd({ ...opts, config: { steps: 20, lr: 0.01, optimizer: { kind: 'adam' } } });
    expect(tf.memory().numTensors).toBe(n);
    [teacher, student, projection].forEach((m) => m.dispose());
  });

  it('refuses a negative loss weight', async () => {
    const teacher = createModel('t', [mlp('te', 3)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(1));
    const student = createModel('s', [mlp('se', 6)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(3));
    const projection = createProjection('identity', [8], [8], createRng(4));
    await expect(
      trainCmkd({
        student,
        teacher,
        projection,
        losses: { task: mse, lambdaKd: -1, lambdaFeat: 0 },
        batches: batcher(source(8, 1), 4, 1),
        config: { steps: 1, lr: 0.01, optimizer: { kind: 'adam' } },
      }),
    ).rejects.toThrow(/lambdaKd/);
    [teacher, student].forEach((m) => m.dispose());
  });
});

describe('CMKD with unlabelled pairs', () => {
  it("takes one step per labelled batch and adds the unlabelled pairs' KD terms to it", async () => {
    const d = source(64, 11);
    const teacher = createModel('t', [mlp('te', 3)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(1));
    const student = createModel('s', [mlp('se', 6)], (f) => headSpec({ featureDim: f, outputs: 1 }), createRng(3));
    const projection = createProjection('linear', [8], [8], createRng(4));
    const labelledSteps: number[] = [];
    const unlabelledSteps: number[] = [];
    const lb = batcher(d, 8, 5);
    const ub = batcher(d, 8, 6);
    const r = await trainCmkd({
      student,
      teacher,
      projection,
      losses: { task: mse, kd: mse, lambdaKd: 1, lambdaFeat: 0 },
      batches: (k) => {
        labelledSteps.push(k);
        return lb();
      },
      unlabelledBatches: (k) => {
        unlabelledSteps.push(k);
        const { label: _drop, ...pairs } = ub();
        _drop?.dispose();
        return pairs;
      },
      config: { steps: 5, lr: 0.01, optimizer: { kind: 'adam' } },
    });
    expect(r.stepsRun).toBe(5);
    expect(labelledSteps).toEqual([0, 1, 2, 3, 4]);
    expect(unlabelledSteps).toEqual([0, 1, 2, 3, 4]);
    [teacher, student, projection].forEach((m) => m.dispose());
  });
});
