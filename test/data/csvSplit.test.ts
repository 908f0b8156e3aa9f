import { describe, expect, it } from 'vitest';
import { thrown } from '../support/thrown.js';
import { isKapriError } from '../../src/core/errors.js';
import { parseCsvSplit } from '../../src/data/csvSplit.js';

describe('a CSV split of images', () => {
  it('pairs the weak and superior images of each row with its class', () => {
    const s = parseCsvSplit('weak,superior,label\nrgb/1.png,d/1.png,2\nrgb/2.png,d/2.png,0\n', 'train.csv');
    expect(s).toEqual({
      rows: [
        { weak: 'rgb/1.png', superior: 'd/1.png', label: [2] },
        { weak: 'rgb/2.png', superior: 'd/2.png', label: [0] },
      ],
      labelSize: 1,
      hasSuperior: true,
    });
  });

  it('reads regression labels from label_0 … columns, in order, and quoted names with commas', () => {
    const s = parseCsvSplit('label_1,weak,label_0\n-1.5,"a,b.png",0.25\n', 'r.csv');
    expect(s.rows).toEqual([{ weak: 'a,b.png', label: [0.25, -1.5] }]);
    expect(s.labelSize).toBe(2);
  });

  it('has no labels when no label column is given', () => {
    expect(parseCsvSplit('weak\na.png\n', 'u.csv')).toEqual({
      rows: [{ weak: 'a.png' }],
      labelSize: 0,
      hasSuperior: false,
    });
  });

  it('names the line and column of a label that is not a number', () => {
    const e = thrown(() => parseCsvSplit('weak,label\na.png,1\nb.png,cat\n', 't.csv'));
    expect(isKapriError(e, 'InvalidData')).toBe(true);
    expect((e as Error).message).toBe("t.csv: line 3, column label: 'cat' is not a finite number");
  });

  it('refuses unknown, repeated and gapped columns, and a missing weak column', () => {
    expect((thrown(() => parseCsvSplit('weak,lable\na,1\n', 'a.csv')) as Error).message).toMatch(
      /unknown column 'lable'/,
    );
    expect((thrown(() => parseCsvSplit('weak,weak\na,b\n', 'b.csv')) as Error).message).toMatch(
      /'weak' is given twice/,
    );
    expect((thrown(() => parseCsvSplit('weak,label_0,label_2\na,1,2\n', 'c.csv')) as Error).message).toMatch(
      /label_1 is missing/,
    );
    expect((thrown(() => parseCsvSplit('superior,label\na,1\n', 'd.csv')) as Error).message).toMatch(
      /needs a 'weak' column/,
    );
  });

  it('refuses a malformed table and one without rows', () => {
    const e = thrown(() => parseCsvSplit('weak,label\na.png,1,3\n', 'm.csv'));
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
    expect((thrown(() => parseCsvSplit('weak,label\n', 'h.csv')) as Error).message).toMatch(/at least one row/);
  });
});
