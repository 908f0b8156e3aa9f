import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/parseFlags.js';
import { SWEEP_USAGE, WORKER_USAGE } from '../../src/cli/usage.js';
import { thrown } from '../support/thrown.js';

describe('parseFlags', () => {
  it.each([
    [SWEEP_USAGE, 'kapri sweep'],
    [WORKER_USAGE, 'kapri worker'],
  ])('names the command whose --help lists the flags when one is unknown', (usage, command) => {
    const e = thrown(() => parseFlags(['--jbos', '2'], { jobs: { type: 'string' } }, usage));
    expect((e as Error).message).toBe(
      `unknown option '--jbos'; did you mean '--jobs'? ('${command} --help' lists them)`,
    );
  });

  it('takes a negative number as the value of a string flag', () => {
    expect(parseFlags(['--seed', '-1'], { seed: { type: 'string' } }, 'Usage: kapri run')).toEqual({ seed: '-1' });
  });
});
