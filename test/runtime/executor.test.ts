import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { createModel } from '../../src/nn/model.js';
import { headSpec, imageEncoderSpec } from '../../src/nn/architectures.js';
import { exportQModel } from '../../src/compress/exportQModel.js';
import { executorFromBytes } from '../../src/runtime/executor.js';
import { loadModel } from '../../src/runtime/loadModel.js';
import { isKapriError } from '../../src/core/errors.js';
import { smallModelBytes } from './qmodelFixture.js';

beforeAll(async () => {
  await initTraining();
});

describe('executor', () => {
  it('runs an exported student close to the float model (int8 error well under the output spread)', async () => {
    const m = createModel(
      'student',
      [imageEncoderSpec({ width: 4, inputShape: [16, 16, 3] })],
      (f) => headSpec({ featureDim: f, outputs: 10, hidden: 16 }),
      createRng(1),
    );
    const calib = tf.randomNormal([64, 16, 16, 3], 0, 1, 'float32', 4);
    for (let i = 0; i < 20; i++) {
      tf.tidy(() => {
        m.forward([calib], { training: true }); // settle batch-norm statistics
      });
    }
    const exe = executorFromBytes(exportQModel(m, calib));
    const test = tf.randomNormal([8, 16, 16, 3], 0, 1, 'float32', 5);
    const got = exe.run(test.dataSync() as Float32Array, 8)['output']!;
    const want = tf.tidy(() => m.forward([test], { training: false }).output.dataSync() as Float32Array);
    const mean = want.reduce((a, b) => a + b, 0) / want.length;
    const spread = Math.sqrt(want.reduce((a, b) => a + (b - mean) ** 2, 0) / want.length);
    const rmse = Math.sqrt(want.reduce((a, b, i) => a + (b - got[i]!) ** 2, 0) / want.length);
    expect(spread).toBeGreaterThan(0);
    expect(rmse / spread).toBeLessThan(0.05);
    tf.dispose([calib, test]);
    m.dispose();
  });

  it('is deterministic', () => {
    const exe = executorFromBytes(smallModelBytes());
    const x = Float32Array.from({ length: 8 * 8 * 3 * 2 }, (_, i) => Math.sin(i));
    expect(Array.from(exe.run(x, 2)['y']!)).toEqual(Array.from(exe.run(x, 2)['y']!));
  });

  it('refuses an input of the wrong length, naming the expected shape', () => {
    const exe = executorFromBytes(smallModelBytes());
    let e: unknown = null;
    try {
      exe.run(new Float32Array(10));
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/\[8, 8, 3\]/);
  });

  it('loadModel names an unreadable path', async () => {
    await expect(loadModel('/nonexistent/model.kapri')).rejects.toThrow(/\/nonexistent\/model\.kapri/);
  });
});
