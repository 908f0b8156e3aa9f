import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { evenChunks } from '../../src/kernels/evenChunks.js';
import { thrown } from '../support/thrown.js';

describe('evenChunks', () => {
  it('cuts a range into one equal chunk per thread', () => {
    expect(Array.from(evenChunks(256, 2))).toEqual([0, 128, 256]);
    expect(Array.from(evenChunks(96, 3))).toEqual([0, 32, 64, 96]);
  });

  it('puts the boundaries on multiples of the alignment, the last chunk taking the rest', () => {
    expect(Array.from(evenChunks(10, 3))).toEqual([0, 4, 8, 10]);
    expect(Array.from(evenChunks(1024, 3, 4))).toEqual([0, 344, 688, 1024]);
  });

  it('gives fewer chunks than threads when the range is short', () => {
    expect(Array.from(evenChunks(5, 4))).toEqual([0, 4, 5]);
    expect(Array.from(evenChunks(3, 2))).toEqual([0, 3]);
  });

  it.each([
    [1, 2],
    [17, 2],
    [64, 8],
    [1000, 3],
  ])('covers [0, %i) in at most %i chunks of positive size', (total, threads) => {
    const b = Array.from(evenChunks(total, threads));
    expect(b[0]).toBe(0);
    expect(b[b.length - 1]).toBe(total);
    expect(b.length - 1).toBeLessThanOrEqual(threads);
    expect(b.slice(1).every((e, j) => e > b[j]!)).toBe(true);
  });

  it.each([
    [0, 2, 4],
    [10, 0, 4],
    [10, 2, 0],
    [1.5, 2, 4],
  ])('refuses total %s, threads %s, align %s with a typed error', (total, threads, align) => {
    const e = thrown(() => evenChunks(total, threads, align));
    expect(isKapriError(e) && e.tag).toBe('InvalidArgument');
  });
});
