import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { createNetwork } from '../../src/nn/network.js';
import { imageEncoderSpec, temporalEncoderSpec } from '../../src/nn/architectures.js';
import type { LayerSpec } from '../../src/nn/layerSpec.js';
import { thrown } from '../support/thrown.js';

beforeAll(async () => {
  await initTraining();
});

const names = (layers: readonly LayerSpec[]): string[] => layers.map((l) => ('name' in l ? String(l.name) : l.kind));

describe('encoder depth', () => {
  it('keeps the depth-2 image encoder as it was: stem, two down-and-residual stages, pooling', () => {
    const spec = imageEncoderSpec({ width: 4, inputShape: [16, 16, 3] });
    expect(names(spec.layers)).toEqual(['stem', 'down1', 'res1', 'down2', 'res2', 'globalAvgPool']);
    expect(imageEncoderSpec({ width: 4, depth: 2, inputShape: [16, 16, 3] })).toEqual(spec);
  });

  it('adds a stage per depth, each halving the resolution and doubling the features', () => {
    for (const depth of [1, 3, 4]) {
      const net = createNetwork(imageEncoderSpec({ width: 2, depth, inputShape: [32, 32, 3] }), createRng(0));
      expect(net.outShape).toEqual([2 ** depth * 2]);
      const y = tf.tidy(() => net.apply(tf.zeros([1, 32, 32, 3]), { training: false }));
      expect(y.shape).toEqual([1, 2 ** depth * 2]);
      y.dispose();
      net.dispose();
    }
  });

  it('gives the temporal encoder one strided block per depth, kernel 7 then 5', () => {
    const spec = temporalEncoderSpec({ width: 4, depth: 3, length: 256, channels: 2 });
    const blocks = spec.layers.filter((l) => l.kind === 'conv1d').slice(1);
    expect(blocks.map((b) => (b.kind === 'conv1d' ? [b.name, b.filters, b.kernel, b.stride] : []))).toEqual([
      ['block1', 8, 7, 2],
      ['block2', 16, 5, 2],
      ['block3', 32, 5, 2],
    ]);
    expect(temporalEncoderSpec({ width: 4, length: 256, channels: 2 })).toEqual(
      temporalEncoderSpec({ width: 4, depth: 2, length: 256, channels: 2 }),
    );
  });

  it('refuses a depth outside 1 to 4, naming it', () => {
    for (const depth of [0, 5, 2.5]) {
      const e = thrown(() => imageEncoderSpec({ width: 4, depth, inputShape: [8, 8, 1] }));
      expect(isKapriError(e, 'InvalidConfig')).toBe(true);
      expect(String((e as Error).message)).toMatch(new RegExp(`depth must be an integer in \\[1, 4\\], got ${depth}`));
    }
  });
});
