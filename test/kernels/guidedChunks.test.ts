import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { guidedChunks } from '../../src/kernels/guidedChunks.js';
import { thrown } from '../support/thrown.js';

const sizes = (b: Int32Array): number[] => Array.from(b.slice(1), (e, j) => e - b[j]!);

describe('guidedChunks', () => {
  it('cuts each chunk as a share of what is left, down to the minimum', () => {
    expect(Array.from(guidedChunks(256, 2, 16, 64))).toEqual([0, 64, 112, 148, 176, 196, 212, 228, 244, 256]);
  });

  it.each([
    [1, 2, 1, 8],
    [7, 2, 1, 8],
    [1000, 2, 3, 512],
    [1024, 3, 40, 512],
    [100_000, 2, 1, 16],
    [61 * 8, 2, 12, 512],
  ])('covers [0, %i) exactly, in chunks of positive size, within the chunk cap', (total, threads, min, max) => {
    const b = guidedChunks(total, threads, min, max);
    expect(b[0]).toBe(0);
    expect(b[b.length - 1]).toBe(total);
    const s = sizes(b);
    expect(s.every((x) => x > 0)).toBe(true);
    expect(s.length).toBeLessThanOrEqual(max);
  });

  it('keeps every chunk but the last at least the minimum, on multiples of the alignment', () => {
    const b = guidedChunks(1000, 2, 24, 512, 4);
    const s = sizes(b);
    expect(s.slice(0, -1).every((x) => x >= 24 && x % 4 === 0)).toBe(true);
    expect(Array.from(b.slice(0, -1)).every((x) => x % 4 === 0)).toBe(true);
  });

  it('never makes chunks larger further on', () => {
    const s = sizes(guidedChunks(4096, 2, 8, 512)).slice(0, -1);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]!);
  });

  it('raises the minimum when the cap on chunks would be passed', () => {
    expect(guidedChunks(100_000, 2, 1, 16).length - 1).toBeLessThanOrEqual(16);
  });

  it('refuses sizes that are not positive integers, naming them', () => {
    const e = thrown(() => guidedChunks(0, 2, 1, 8));
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect((e as Error).message).toMatch(/total/);
    expect(
      isKapriError(
        thrown(() => guidedChunks(10, 1.5, 1, 8)),
        'InvalidArgument',
      ),
    ).toBe(true);
  });
});
