/** Releasing what a stage owns: everything, last first, even when one release fails. */
import { describe, expect, it } from 'vitest';
import { createDisposables } from '../../../src/pipeline/multiModal/disposables.js';
import { thrown } from '../../support/thrown.js';

describe('disposables', () => {
  it('returns what it keeps and releases it last first, once', () => {
    const log: string[] = [];
    const owned = createDisposables();
    const a = { dispose: () => log.push('a') };
    expect(owned.keep(a)).toBe(a);
    owned.keep({ dispose: () => log.push('b') });
    owned.release();
    owned.release();
    expect(log).toEqual(['b', 'a']);
  });

  it('tries every release and rethrows the first failure', () => {
    const log: string[] = [];
    const owned = createDisposables();
    owned.keep({ dispose: () => log.push('a') });
    owned.keep({
      dispose: () => {
        throw new Error('first');
      },
    });
    owned.keep({
      dispose: () => {
        throw new Error('second');
      },
    });
    // Release runs last first, so the last one kept fails first.
    expect((thrown(() => owned.release()) as Error).message).toBe('second');
    expect(log).toEqual(['a']);
  });
});
