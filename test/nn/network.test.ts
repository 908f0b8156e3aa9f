import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { createNetwork } from '../../src/nn/network.js';
import { imageEncoderSpec, headSpec, temporalEncoderSpec } from '../../src/nn/architectures.js';
import type { NetworkSpec } from '../../src/nn/layerSpec.js';
import { thrown } from '../support/thrown.js';

beforeAll(async () => {
  await initTraining();
});

describe('createNetwork', () => {
  it('gives the default student (width 16 on 32×32×3) between 50k and 200k parameters and a 64-d feature', () => {
    const net = createNetwork(imageEncoderSpec({ width: 16, inputShape: [32, 32, 3] }), createRng(0));
    expect(net.outShape).toEqual([64]);
    expect(net.paramCount).toBeGreaterThan(50_000);
    expect(net.paramCount).toBeLessThan(200_000);
    net.dispose();
  });

  it('infers the output shape that apply produces', () => {
    const net = createNetwork(imageEncoderSpec({ width: 4, inputShape: [17, 15, 3] }), createRng(0));
    const y = tf.tidy(() => net.apply(tf.zeros([2, 17, 15, 3]), { training: false }));
    expect(y.shape).toEqual([2, ...net.outShape]);
    y.dispose();
    net.dispose();
  });

  it('initialises identically for the same seed and differently for another', () => {
    const spec = headSpec({ featureDim: 8, outputs: 3, hidden: 5 });
    const a = createNetwork(spec, createRng(1));
    const b = createNetwork(spec, createRng(1));
    const c = createNetwork(spec, createRng(2));
    const first = (n: typeof a) => Array.from(n.variables[0]!.dataSync());
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    [a, b, c].forEach((n) => n.dispose());
  });

  it('runs the temporal encoder on [batch, 512, 28] signals', () => {
    const net = createNetwork(temporalEncoderSpec({ width: 8, length: 512, channels: 28 }), createRng(0));
    const y = tf.tidy(() => net.apply(tf.zeros([2, 512, 28]), { training: false }));
    expect(y.shape).toEqual([2, 32]);
    y.dispose();
    net.dispose();
  });

  it('moves batch-norm running statistics toward the batch moments only in training', () => {
    const spec: NetworkSpec = {
      name: 't',
      inputShape: [4, 4, 1],
      layers: [{ kind: 'conv2d', name: 'c', filters: 2, kernel: 1, batchNorm: true }],
    };
    const net = createNetwork(spec, createRng(3));
    const mean = (net.state['c'] as { bn: { mean: tf.Variable } }).bn.mean;
    const x = tf.fill([2, 4, 4, 1], 5);
    tf.tidy(() => net.apply(x, { training: false }));
    expect(Array.from(mean.dataSync())).toEqual([0, 0]);
    tf.tidy(() => net.apply(x, { training: true }));
    const w = Array.from((net.params['c'] as { w: tf.Variable }).w.dataSync());
    const m = Array.from(mean.dataSync());
    m.forEach((v, i) => expect(v).toBeCloseTo(0.1 * 5 * w[i]!, 4));
    x.dispose();
    net.dispose();
  });

  it('collects the outputs of named layers as taps', () => {
    const net = createNetwork(imageEncoderSpec({ width: 2, inputShape: [8, 8, 1] }), createRng(0));
    const { taps } = net.applyWithTaps(tf.zeros([1, 8, 8, 1]), { training: false });
    expect([...taps.keys()]).toEqual([
      'stem',
      'down1',
      'res1/a',
      'res1/b',
      'res1',
      'down2',
      'res2/a',
      'res2/b',
      'res2',
    ]);
    expect(taps.get('down1')!.shape).toEqual([1, 4, 4, 4]);
    tf.dispose([...taps.values()]);
    net.dispose();
  });

  it('trains: one gradient reaches every trainable variable', () => {
    const net = createNetwork(imageEncoderSpec({ width: 2, inputShape: [8, 8, 3] }), createRng(0));
    const x = tf.randomNormal([2, 8, 8, 3]);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(net.apply(x, { training: true }))) as tf.Scalar,
      net.variables,
    );
    expect(Object.keys(grads).length).toBe(net.variables.length);
    tf.dispose(Object.values(grads));
    x.dispose();
    net.dispose();
  });

  it('refuses an input of the wrong shape, naming both shapes', () => {
    const net = createNetwork(headSpec({ featureDim: 8, outputs: 2 }), createRng(0));
    const x = tf.zeros([3, 7]);
    const e = thrown(() => net.apply(x, { training: false }));
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/\[batch, 8\].*\[3, 7\]/);
    x.dispose();
    net.dispose();
  });

  it('refuses duplicate layer names and layers that do not fit', () => {
    const dup: NetworkSpec = {
      name: 'd',
      inputShape: [4],
      layers: [
        { kind: 'dense', name: 'a', units: 2 },
        { kind: 'dense', name: 'a', units: 2 },
      ],
    };
    expect(
      isKapriError(
        thrown(() => createNetwork(dup, createRng(0))),
        'InvalidConfig',
      ),
    ).toBe(true);
    const big: NetworkSpec = {
      name: 'b',
      inputShape: [3, 3, 1],
      layers: [{ kind: 'conv2d', name: 'c', filters: 1, kernel: 5, padding: 'valid' }],
    };
    expect(
      isKapriError(
        thrown(() => createNetwork(big, createRng(0))),
        'InvalidShape',
      ),
    ).toBe(true);
  });
});

describe('network lifetime', () => {
  it('creating and disposing a network leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    createNetwork(imageEncoderSpec({ width: 2, inputShape: [8, 8, 3] }), createRng(0)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
