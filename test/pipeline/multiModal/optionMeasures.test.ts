/** The report's view of the options: the allocator's, without the skip flag, in slot order, and the head's. */
import { describe, expect, it } from 'vitest';
import { reportOptions } from '../../../src/pipeline/multiModal/optionMeasures.js';

describe('reported options', () => {
  it('drops the allocator’s skip flag and lists superior, weak, head', () => {
    const o = (id: string, skip = false) => ({ id, bytes: 8, latencyMs: 1, value: 0, ...(skip ? { skip } : {}) });
    const r = reportOptions(
      [
        { modality: 'weak', options: [o('int8'), o('skip', true)] },
        { modality: 'superior', options: [o('mixed-8/4')] },
      ],
      o('int8'),
    );
    expect(Object.keys(r)).toEqual(['superior', 'weak', 'head']);
    expect(r.weak).toEqual([
      { id: 'int8', bytes: 8, latencyMs: 1, value: 0 },
      { id: 'skip', bytes: 8, latencyMs: 1, value: 0 },
    ]);
    expect(r.superior.map((x) => x.id)).toEqual(['mixed-8/4']);
    expect(r.head).toEqual([{ id: 'int8', bytes: 8, latencyMs: 1, value: 0 }]);
  });
});
