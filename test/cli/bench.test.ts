/** `kapri bench` through the compiled CLI: argument errors are one paragraph and a non-zero exit. */
import { describe, expect, it } from 'vitest';
import { kapriCli } from '../support/cli.js';

const kapri = kapriCli;

describe('kapri CLI', () => {
  it('prints bench help with the documented options', () => {
    const r = kapri('bench', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--quick/);
    expect(r.stdout).toMatch(/--json FILE/);
    expect(r.stdout).toMatch(/--threads N/);
  });

  it('refuses an unknown bench option with a short message and exit 2, no stack trace', () => {
    const r = kapri('bench', '--fast');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--fast/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a thread count that is not an integer', () => {
    const r = kapri('bench', '--threads', 'two');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--threads takes an integer from 1 to 64, got 'two'/);
  });

  it('refuses an unknown command and names the known ones', () => {
    const r = kapri('train');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'train'.*bench/);
  });

  it('suggests the command a typo was meant to be', () => {
    const r = kapri('rnu');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'rnu'; did you mean 'run'\?/);
  });
});
