import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { Prior } from '../../src/priors/prior.js';
import {
  archOf,
  decodeStudentRecord,
  describe as describeRecord,
  type StudentRecord,
  withStudentRecord,
} from '../../src/pipeline/studentRecord.js';

const RECORD: StudentRecord = {
  model: 'student',
  modality: 'ppg',
  inputShape: [256, 1],
  width: 4,
  depth: 3,
  outputs: 2,
  task: 'classification',
  classes: 2,
  learnedOn: 'cardio',
};

const bare: Prior = { family: 'l2sp', form: 'gaussian', model: 'student', terms: [], meta: {} };
const priorWith = (r: unknown): Prior => ({ ...bare, meta: { student: JSON.stringify(r) } });

describe('the student record of a prior', () => {
  it('round-trips the encoder width and depth', () => {
    const d = decodeStudentRecord(withStudentRecord(bare, RECORD), 'p.kprior');
    expect(E.isRight(d) && archOf(d.right)).toEqual({ width: 4, depth: 3 });
  });

  it('reads a record written before depth was configurable as depth 2', () => {
    const { depth: _, ...old } = RECORD;
    const d = decodeStudentRecord(priorWith(old), 'p.kprior');
    expect(E.isRight(d) && archOf(d.right)).toEqual({ width: 4, depth: 2 });
  });

  it('refuses a depth outside 1 to 4 as malformed, naming the file and the field', () => {
    for (const depth of [0, 5, 1.5, '3']) {
      const d = decodeStudentRecord(priorWith({ ...RECORD, depth }), 'p.kprior');
      expect(E.isLeft(d) && [d.left.message, d.left.details]).toEqual([
        'prior p.kprior: its student record (meta.student) is malformed',
        { file: 'p.kprior', field: 'meta.student' },
      ]);
    }
  });

  it('says the width and depth when it describes the student', () => {
    expect(describeRecord(RECORD)).toMatch(/^a 'student' \(width 4, depth 3\) on 'ppg' samples of shape \[256, 1\]/);
  });
});
