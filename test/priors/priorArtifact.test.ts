import { describe, expect, it } from 'vitest';
import { decodePrior, encodePrior } from '../../src/priors/priorArtifact.js';
import type { Prior } from '../../src/priors/prior.js';
import { isKapriError } from '../../src/core/errors.js';
import { crc32 } from '../../src/core/crc32.js';
import { leftOf, rightOf } from '../support/either.js';

const prior: Prior = {
  family: 'kap',
  form: 'laplace',
  model: 'student-w16',
  meta: { alpha: 0.01, mu: 'source' },
  terms: [
    {
      path: 'encoder0/stem/w',
      shape: [3, 1],
      mu: new Float32Array([0.1, -2.5, 3e-8]),
      weight: new Float32Array([1, 2, Math.fround(Math.PI)]),
    },
    { path: 'head/out/b', shape: [2], mu: new Float32Array([Number.MIN_VALUE, -0]), weight: new Float32Array([0.5]) },
  ],
};

describe('prior artifact', () => {
  it('round-trips bit for bit', () => {
    const back = rightOf(decodePrior(encodePrior(prior)));
    expect(back.family).toBe('kap');
    expect(back.form).toBe('laplace');
    expect(back.model).toBe('student-w16');
    expect(back.meta).toEqual(prior.meta);
    back.terms.forEach((t, i) => {
      expect(t.path).toBe(prior.terms[i]!.path);
      expect(Array.from(new Uint32Array(t.mu.buffer))).toEqual(Array.from(new Uint32Array(prior.terms[i]!.mu.buffer)));
      expect(Array.from(t.weight)).toEqual(Array.from(prior.terms[i]!.weight));
    });
  });

  it('refuses any single changed byte through the checksum', () => {
    const bytes = encodePrior(prior);
    for (const i of [5, 20, bytes.length - 9, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[i]! ^= 0x40;
      expect(isKapriError(leftOf(decodePrior(bad, 'p.kprior')), 'CorruptFile')).toBe(true);
    }
  });

  it('refuses a truncated artifact, naming the file', () => {
    const bytes = encodePrior(prior);
    const e = leftOf(decodePrior(bytes.subarray(0, bytes.length - 10), 'p.kprior'));
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
    expect((e as Error).message).toMatch(/p\.kprior/);
  });

  it('refuses something that is not a prior', () => {
    expect(isKapriError(leftOf(decodePrior(new Uint8Array(40))), 'CorruptFile')).toBe(true);
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('prior artifact: families', () => {
  it('refuses a family the prior registry does not hold, naming the registered ones', () => {
    const e = leftOf(decodePrior(encodePrior({ ...prior, family: 'nope' }), 'p.kpri'));
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
    expect((e as Error).message).toBe(
      "prior artifact p.kpri: its family 'nope' is not a registered prior (l2sp, fisher, kap, kapFixed)",
    );
  });
});
