import { describe, expect, it } from 'vitest';
import { activationQuantFromRange, fakeQuant } from '../../src/compress/activationQuant.js';
import { calibrate, quantMse } from '../../src/compress/calibration.js';
import { dequantizeWeights, packInt4, quantizeWeights, unpackInt4 } from '../../src/compress/weightQuant.js';
import { foldBatchNorm } from '../../src/compress/foldBatchNorm.js';
import { channelKeep, magnitudeMask } from '../../src/compress/pruning.js';
import { chooseMixedPrecision } from '../../src/compress/sensitivity.js';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { thrown } from '../support/thrown.js';

describe('activation quantization', () => {
  it('maps [−1, 3] to scale 4/255 and zero point −64, with 0.0 exact', () => {
    const q = activationQuantFromRange(-1, 3);
    expect(q.scale).toBeCloseTo(4 / 255, 7);
    expect(q.zeroPoint).toBe(-64);
    expect(fakeQuant(0, q)).toBe(0);
  });

  it('widens a range that excludes zero', () => {
    const q = activationQuantFromRange(2, 5);
    expect(q.zeroPoint).toBe(-128);
    expect(fakeQuant(0, q)).toBe(0);
  });
});

describe('calibration', () => {
  const rng = createRng(3);
  const values = Float32Array.from({ length: 20000 }, () => rng.normal());
  values[7] = 80; // one outlier

  it('min/max covers every value up to the half step lost to zero-point rounding', () => {
    const q = calibrate(values, { kind: 'minmax' });
    expect((127 - q.zeroPoint) * q.scale).toBeGreaterThanOrEqual(80 - q.scale / 2);
  });

  it('the 99.99th percentile ignores a lone outlier', () => {
    const q = calibrate(values, { kind: 'percentile' });
    expect((127 - q.zeroPoint) * q.scale).toBeLessThan(10);
  });

  it('MSE-optimal clipping has no more error than min/max', () => {
    expect(quantMse(values, calibrate(values, { kind: 'mse' }))).toBeLessThanOrEqual(
      quantMse(values, calibrate(values, { kind: 'minmax' })),
    );
  });

  it('refuses NaN values and empty sets, naming the index', () => {
    const bad = new Float32Array([1, Number.NaN]);
    const e = thrown(() => calibrate(bad, { kind: 'minmax' }));
    expect(isKapriError(e, 'InvalidData')).toBe(true);
    expect((e as Error).message).toMatch(/value 1/);
    expect(
      isKapriError(
        thrown(() => calibrate(new Float32Array(0), { kind: 'minmax' })),
        'InvalidData',
      ),
    ).toBe(true);
  });
});

describe('weight quantization', () => {
  it('quantizes per output channel symmetrically to [−127, 127]', () => {
    // [2 inputs, 2 out channels]: channel 0 = [1, −0.5] → −0.5·127 = −63.5 → −64 (half to even);
    // channel 1 = [0.01, 0.04] → 0.01/(0.04/127) = 31.75 → 32
    const qw = quantizeWeights(new Float32Array([1, 0.01, -0.5, 0.04]), 2, 8);
    expect(Array.from(qw.scales)).toEqual([Math.fround(1 / 127), Math.fround(0.04 / 127)]);
    expect(Array.from(qw.q)).toEqual([127, 32, -64, 127]);
  });

  it('reconstructs every weight within half a step, for int8 and int4', () => {
    const rng = createRng(5);
    const w = Float32Array.from({ length: 3 * 3 * 5 * 7 }, () => rng.normal());
    for (const bits of [8, 4] as const) {
      const qw = quantizeWeights(w, 7, bits);
      const d = dequantizeWeights(qw);
      d.forEach((v, i) => expect(Math.abs(v - w[i]!)).toBeLessThanOrEqual(qw.scales[i % 7]! / 2 + 1e-6));
    }
  });

  it('gives an all-zero channel scale 1', () => {
    expect(quantizeWeights(new Float32Array([0, 1]), 2, 8).scales[0]).toBe(1);
  });

  it('packs int4 two per byte, low nibble first, and unpacks exactly', () => {
    const q = Int8Array.from([-8, 7, -1, 0, 3]);
    const p = packInt4(q);
    expect(Array.from(p)).toEqual([0x78, 0x0f, 0x03]);
    expect(Array.from(unpackInt4(p, 5))).toEqual(Array.from(q));
    expect(() => packInt4(Int8Array.from([9]))).toThrow(/outside/);
  });
});

describe('batch-norm folding', () => {
  it('gives the same outputs as dense → batch norm in inference', () => {
    const rng = createRng(9);
    const [din, c] = [4, 3];
    const w = Float32Array.from({ length: din * c }, () => rng.normal());
    const b = Float32Array.from({ length: c }, () => rng.normal());
    const gamma = Float32Array.from({ length: c }, () => 0.5 + rng.uniform());
    const beta = Float32Array.from({ length: c }, () => rng.normal());
    const mean = Float32Array.from({ length: c }, () => rng.normal());
    const variance = Float32Array.from({ length: c }, () => 0.1 + rng.uniform());
    const f = foldBatchNorm({ w, b, gamma, beta, mean, variance, epsilon: 1e-3 });
    const x = Array.from({ length: din }, () => rng.normal());
    for (let o = 0; o < c; o++) {
      let z = b[o]!;
      let z2 = f.b[o]!;
      for (let i = 0; i < din; i++) {
        z += x[i]! * w[i * c + o]!;
        z2 += x[i]! * f.w[i * c + o]!;
      }
      const bn = ((z - mean[o]!) / Math.sqrt(variance[o]! + 1e-3)) * gamma[o]! + beta[o]!;
      expect(z2).toBeCloseTo(bn, 5);
    }
  });
});

describe('pruning', () => {
  it('magnitude pruning removes exactly the smallest |w|', () => {
    expect(Array.from(magnitudeMask(new Float32Array([0.5, -0.1, 2, 0.05, -3]), 0.4))).toEqual([1, 0, 1, 0, 1]);
  });

  it('channel pruning drops the output channels with the smallest L1 norm, never all', () => {
    // [2 inputs, 3 channels]: L1 = [2, 0.2, 1]
    expect(channelKeep(new Float32Array([1, 0.1, 0.5, -1, 0.1, -0.5]), 3, 0.34)).toEqual([true, false, true]);
    expect(channelKeep(new Float32Array([1, 2]), 2, 0.99).filter(Boolean).length).toBe(1);
  });

  it('refuses sparsity outside [0, 1)', () => {
    expect(
      isKapriError(
        thrown(() => magnitudeMask(new Float32Array(3), 1)),
        'InvalidConfig',
      ),
    ).toBe(true);
  });
});

describe('mixed precision', () => {
  const layers = [
    { name: 'stem', params: 400, fisherTrace: 10, errorInt8: 0.01, errorInt4: 1 },
    { name: 'big', params: 4000, fisherTrace: 0.1, errorInt8: 0.01, errorInt4: 1 },
  ];

  it('moves the least sensitive bytes to int4 first and meets the budget', () => {
    expect(chooseMixedPrecision(layers, 3000)).toEqual({ stem: 8, big: 4 });
    expect(chooseMixedPrecision(layers, 5000)).toEqual({ stem: 8, big: 8 });
  });

  it('answers OutOfBudget when even int4 everywhere does not fit', () => {
    expect(
      isKapriError(
        thrown(() => chooseMixedPrecision(layers, 100)),
        'OutOfBudget',
      ),
    ).toBe(true);
  });
});
