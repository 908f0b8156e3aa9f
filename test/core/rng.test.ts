import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    const a = createRng(123);
    const b = createRng(123);
    expect(Array.from({ length: 10 }, () => a.nextU32())).toEqual(Array.from({ length: 10 }, () => b.nextU32()));
  });

  it('gives different sequences for different seeds', () => {
    expect(createRng(1).nextU32()).not.toBe(createRng(2).nextU32());
  });

  it('draws uniforms in [0, 1) with mean near 1/2', () => {
    const r = createRng(5);
    const xs = Array.from({ length: 20000 }, () => r.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.01);
  });

  it('draws normals with mean 0 and variance 1 within sampling error', () => {
    const r = createRng(9);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.04);
  });

  it('forks streams that are stable by label and do not advance the parent', () => {
    const r = createRng(3);
    const f1 = r.fork('teacher').nextU32();
    const f2 = r.fork('teacher').nextU32();
    expect(f1).toBe(f2);
    expect(r.fork('student').nextU32()).not.toBe(f1);
    expect(r.nextU32()).toBe(createRng(3).nextU32());
  });

  it('makes permutations of 0..n-1', () => {
    const p = Array.from(createRng(4).permutation(50)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('refuses a non-integer seed', () => {
    expect(() => createRng(1.5)).toThrow(/integer/);
  });
});
