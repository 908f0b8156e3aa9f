import { describe, expect, it } from 'vitest';
import { paceNote } from '../../bench/kernelsInt8.js';

describe('int8 bench: the calling thread pace note', () => {
  it('says the host did not give the pool two cores when the caller ran at well over its one-thread time after the idle', () => {
    const note = paceNote([1.02, 1.05], [1.9, 2.2, 1.4]);
    expect(note).toContain('back to back 1.02-1.05×');
    expect(note).toContain('after the 60 ms idle 1.40-2.20×');
    expect(note).toContain('median pace 1.90×');
    expect(note).toContain('measures the host more than the pool');
  });

  it('makes no such claim when the caller kept its one-thread pace after the idle', () => {
    const note = paceNote([1.01], [1.04, 1.1]);
    expect(note).toContain('after the 60 ms idle 1.04-1.10×');
    expect(note).not.toContain('host');
  });

  it('says so when no back-to-back call split', () => {
    expect(paceNote([], [1.2])).toContain('back to back none split');
  });
});
