/** Ctrl-C during `kapri run`: one line saying what was kept, exit 130, and nothing written. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('kapri run interrupted', () => {
  it('says in one line that nothing was written, exits 130 and leaves no output folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kapri-int-'));
    const out = join(dir, 'out');
    const cfg = join(dir, 'c.json');
    // Long enough to be interrupted in the middle of training.
    writeFileSync(cfg, JSON.stringify({ scenario: 'gauss', seeds: 1, teacher: { steps: 5000, patience: 100 } }));
    const child = spawn(
      process.execPath,
      ['dist/src/cli/main.js', 'run', '--preset', 'quick', '--config', cfg, '--out', out],
      {
        cwd: root,
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // The scenario is generated and the teacher is training: interrupt now.
      if (/seed 1: scenario done/.test(stderr) && child.exitCode === null && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(130);
    const last = stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^kapri: interrupted after \d+ s; nothing was written, .*out is as it was$/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
