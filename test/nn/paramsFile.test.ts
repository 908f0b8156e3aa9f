import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { createNetwork } from '../../src/nn/network.js';
import { headSpec, imageEncoderSpec } from '../../src/nn/architectures.js';
import { decodeParamsInto, encodeParams } from '../../src/nn/paramsFile.js';
import { flattenParams } from '../../src/nn/paramTree.js';
import { leftOf, rightOf } from '../support/either.js';

beforeAll(async () => {
  await initTraining();
});

const values = (net: ReturnType<typeof createNetwork>) =>
  flattenParams(net.params).map(([, v]) => Array.from(v.dataSync()));

describe('parameter files', () => {
  it('round-trips every parameter bit for bit', () => {
    const spec = imageEncoderSpec({ width: 2, inputShape: [8, 8, 3] });
    const a = createNetwork(spec, createRng(1));
    const b = createNetwork(spec, createRng(2));
    rightOf(decodeParamsInto(encodeParams(a.params, 'enc'), b.params, { model: 'enc' }));
    expect(values(b)).toEqual(values(a));
    a.dispose();
    b.dispose();
  });

  it('refuses a file for another architecture and leaves the target unchanged', () => {
    const a = createNetwork(headSpec({ featureDim: 4, outputs: 2 }), createRng(1));
    const b = createNetwork(headSpec({ featureDim: 5, outputs: 2 }), createRng(2));
    const before = values(b);
    const e = leftOf(decodeParamsInto(encodeParams(a.params, 'h'), b.params));
    expect(isKapriError(e, 'InvalidShape')).toBe(true);
    expect((e as Error).message).toMatch(/out\/w/);
    expect(values(b)).toEqual(before);
    a.dispose();
    b.dispose();
  });

  it('refuses a file saved for another model name', () => {
    const a = createNetwork(headSpec({ featureDim: 4, outputs: 2 }), createRng(1));
    expect(
      isKapriError(
        leftOf(decodeParamsInto(encodeParams(a.params, 'teacher'), a.params, { model: 'student' })),
        'InvalidShape',
      ),
    ).toBe(true);
    a.dispose();
  });

  it('refuses truncated and corrupt files with CorruptFile', () => {
    const a = createNetwork(headSpec({ featureDim: 4, outputs: 2 }), createRng(1));
    const bytes = encodeParams(a.params, 'h');
    expect(isKapriError(leftOf(decodeParamsInto(bytes.subarray(0, bytes.length - 4), a.params)), 'CorruptFile')).toBe(
      true,
    );
    const bad = bytes.slice();
    bad[0] = 0;
    expect(isKapriError(leftOf(decodeParamsInto(bad, a.params)), 'CorruptFile')).toBe(true);
    const badJson = bytes.slice();
    badJson[13] = 0x7b;
    expect(isKapriError(leftOf(decodeParamsInto(badJson, a.params)), 'CorruptFile')).toBe(true);
    a.dispose();
  });

  it('leaks no tensors', () => {
    const a = createNetwork(headSpec({ featureDim: 4, outputs: 2 }), createRng(1));
    const n = tf.memory().numTensors;
    rightOf(decodeParamsInto(encodeParams(a.params, 'h'), a.params));
    expect(tf.memory().numTensors).toBe(n);
    a.dispose();
  });
});
