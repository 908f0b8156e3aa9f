import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as E from 'fp-ts/lib/Either.js';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { createModel } from '../../src/nn/model.js';
import { headSpec, imageEncoderSpec, temporalEncoderSpec } from '../../src/nn/architectures.js';
import { exportQModel } from '../../src/compress/exportQModel.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { createExecutor } from '../../src/runtime/executor.js';
import { isKapriError } from '../../src/core/errors.js';

beforeAll(async () => {
  await initTraining();
});

describe('exportQModel', () => {
  it('exports an image student with residual blocks into a valid QModel, one conv op per conv layer', () => {
    const m = createModel(
      'student',
      [imageEncoderSpec({ width: 4, inputShape: [16, 16, 3] })],
      (f) => headSpec({ featureDim: f, outputs: 63, hidden: 32 }),
      createRng(0),
    );
    const x = tf.randomNormal([16, 16, 16, 3], 0, 1, 'float32', 1);
    tf.tidy(() => {
      m.forward([x], { training: true }); // give batch norm some running statistics
    });
    const bytes = exportQModel(m, x, { meta: { scenario: 'test' } });
    const r = decodeQModel(bytes);
    if (E.isLeft(r)) throw r.left;
    const ops = r.right.header.ops.map((o) => o.op);
    // stem, down1, res1 a/b, res1 shortcut (2w→2w: none), down2, res2 a/b
    expect(ops.filter((o) => o === 'conv2d').length).toBe(7);
    expect(ops.filter((o) => o === 'add').length).toBe(2);
    expect(ops.filter((o) => o === 'dense').length).toBe(2);
    expect(r.right.header.outputs).toEqual(['output', 'feature']);
    x.dispose();
    m.dispose();
  });

  it('puts chosen layers in int4, halving their weight bytes', () => {
    const m = createModel(
      'student',
      [imageEncoderSpec({ width: 4, inputShape: [8, 8, 3] })],
      (f) => headSpec({ featureDim: f, outputs: 2 }),
      createRng(0),
    );
    const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 2);
    const b8 = exportQModel(m, x).length;
    const b4 = exportQModel(m, x, { int4Layers: ['encoder0/res2/a', 'encoder0/res2/b'] }).length;
    expect(b4).toBeLessThan(b8 - 2 * (9 * 16 * 16) * 0.4);
    x.dispose();
    m.dispose();
  });

  it('exports the 7-bit form: conv and dense weights in [-63, 63] with bits 7, a version-2 file that runs', () => {
    const m = createModel(
      'student',
      [imageEncoderSpec({ width: 4, inputShape: [8, 8, 3] })],
      (f) => headSpec({ featureDim: f, outputs: 2 }),
      createRng(0),
    );
    const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 2);
    const bytes = exportQModel(m, x, { int7: true, int4Layers: ['encoder0/res2/b'] });
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)).toBe(2);
    const r = decodeQModel(bytes);
    if (E.isLeft(r)) throw r.left;
    const weightOps = r.right.header.ops.flatMap((o) => (o.op === 'conv2d' || o.op === 'dense' ? [o] : []));
    expect(weightOps.map((o) => o.bits).filter((b) => b === 4).length).toBe(1);
    const sevens = weightOps.filter((o) => o.bits === 7);
    expect(sevens.length).toBe(weightOps.length - 1);
    for (const o of sevens) {
      const w = r.right.sections[o.weights] as Int8Array;
      expect(Math.min(...w)).toBeGreaterThanOrEqual(-63);
      expect(Math.max(...w)).toBeLessThanOrEqual(63);
      expect(Math.max(...w.map(Math.abs))).toBe(63);
    }
    const y = createExecutor(r.right).run(x.dataSync() as Float32Array, 8)['output']!;
    expect(y.every(Number.isFinite)).toBe(true);
    x.dispose();
    m.dispose();
  });

  it('exports a signal encoder as [1, L, C] maps with [1, k] kernels', () => {
    const m = createModel(
      'gsr',
      [temporalEncoderSpec({ width: 4, length: 128, channels: 1 })],
      (f) => headSpec({ featureDim: f, outputs: 2 }),
      createRng(0),
    );
    const x = tf.randomNormal([8, 128, 1], 0, 1, 'float32', 3);
    const r = decodeQModel(exportQModel(m, x));
    if (E.isLeft(r)) throw r.left;
    const conv = r.right.header.ops.find((o) => o.op === 'conv2d') as unknown as { kernel: number[] };
    expect(conv.kernel).toEqual([1, 32]);
    expect(r.right.header.tensors.find((t) => t.name === 'input')!.shape).toEqual([1, 128, 1]);
    x.dispose();
    m.dispose();
  });

  it("exports the encoder alone: only the feature output, bit-equal to the full model's feature", () => {
    const m = createModel(
      'student',
      [imageEncoderSpec({ width: 4, inputShape: [8, 8, 3] })],
      (f) => headSpec({ featureDim: f, outputs: 5, hidden: 16 }),
      createRng(0),
    );
    const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 4);
    const full = decodeQModel(exportQModel(m, x));
    const enc = decodeQModel(exportQModel(m, x, { encoderOnly: true }));
    if (E.isLeft(full) || E.isLeft(enc)) throw new Error('decode failed');
    expect(enc.right.header.outputs).toEqual(['feature']);
    expect(enc.right.header.ops.some((o) => o.op === 'dense')).toBe(false);
    const sample = Float32Array.from((x.dataSync() as Float32Array).subarray(0, 8 * 8 * 3));
    const a = createExecutor(full.right).run(sample)['feature']!;
    const b = createExecutor(enc.right).run(sample)['feature']!;
    expect(Array.from(b)).toEqual(Array.from(a));
    x.dispose();
    m.dispose();
  });

  it('exports a head over a feature vector (an encoder with no layers) for the fused runtime', () => {
    const m = createModel(
      'fused',
      [{ name: 'fused-input', inputShape: [6], layers: [] }],
      (f) => headSpec({ featureDim: f, outputs: 3, hidden: 8 }),
      createRng(0),
    );
    const x = tf.randomNormal([16, 6], 0, 1, 'float32', 5);
    const r = decodeQModel(exportQModel(m, x));
    if (E.isLeft(r)) throw r.left;
    expect(r.right.header.tensors.find((t) => t.name === 'input')!.shape).toEqual([6]);
    expect(r.right.header.ops.filter((o) => o.op === 'dense').length).toBe(2);
    x.dispose();
    m.dispose();
  });

  it('refuses a fused multi-encoder model (one QModel per modality)', () => {
    const m = createModel(
      'fused',
      [headSpec({ featureDim: 4, outputs: 3, name: 'a' }), headSpec({ featureDim: 2, outputs: 3, name: 'b' })],
      (f) => headSpec({ featureDim: f, outputs: 2 }),
      createRng(0),
    );
    let e: unknown = null;
    try {
      exportQModel(m, tf.zeros([2, 4]));
    } catch (err) {
      e = err;
    }
    expect(isKapriError(e, 'Unsupported')).toBe(true);
    m.dispose();
  });
});
