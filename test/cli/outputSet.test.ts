/** The output set of `kapri run` is replaced as one: readers see the old set or the new one, and no temporary survives a signal. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isKapriError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../../src/core/atomicWrite.js';
import { checkOutputFolder, writeOutputSet, type OutputFile } from '../../src/cli/outputSet.js';

const NAMES = ['model.kapri', 'report.json', 'report.html'];
const root = fileURLToPath(new URL('../..', import.meta.url));
const set = (gen: number, bytes = 64): OutputFile[] => NAMES.map((n) => [n, `${gen}\n`.padEnd(bytes, '.')]);
const gens = (dir: string) => NAMES.map((n) => readFileSync(join(dir, n), 'utf8').split('\n')[0]);

/**
 * Reads the three files back to back at every turn of the event loop while `write` runs, and counts
 * the times they came from different generations.
 */
const mixesSeenDuring = async (dir: string, write: () => Promise<void>): Promise<number> => {
  let mixes = 0;
  let running = true;
  const reader = (async () => {
    while (running) {
      if (NAMES.every((n) => existsSync(join(dir, n)))) {
        try {
          if (new Set(gens(dir)).size > 1) mixes++;
        } catch {
          // the folder was renamed between the check and the read: not a mix
        }
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  await write();
  running = false;
  await reader;
  return mixes;
};

describe('output set', () => {
  const base = mkdtempSync(join(tmpdir(), 'kapri-outset-'));

  it('creates the folder, then replaces a previous set, leaving nothing else beside it', async () => {
    const out = join(base, 'a');
    await writeOutputSet(out, set(1), false);
    expect(gens(out)).toEqual(['1', '1', '1']);
    await writeOutputSet(out, set(2), false);
    expect(gens(out)).toEqual(['2', '2', '2']);
    expect(readdirSync(out).sort()).toEqual([...NAMES].sort());
    expect(readdirSync(base)).toEqual(['a']);
  });

  it('never shows a reader a mix of two sets (per-file atomic writes did)', async () => {
    const out = join(base, 'b');
    await writeOutputSet(out, set(0), false);
    let mixes = 0;
    for (let g = 1; g <= 20; g++)
      mixes += await mixesSeenDuring(out, () => writeOutputSet(out, set(g, 200_000), false));
    expect(mixes).toBe(0);
    // the same reader does see the mix the old per-file writes left between files
    let oldMixes = 0;
    for (let g = 21; g <= 30; g++)
      oldMixes += await mixesSeenDuring(out, async () => {
        for (const [n, d] of set(g, 200_000)) await writeFileAtomic(join(out, n), d);
      });
    expect(oldMixes).toBeGreaterThan(0);
  });

  it('refuses to replace a folder holding other files unless forced, before and at writing', async () => {
    const out = join(base, 'c');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const e = await checkOutputFolder(out, NAMES, false).catch((x: unknown) => x);
    expect(isKapriError(e, 'Io') && e.message).toMatch(/holds files kapri did not write \(notes\.txt\).*--force/);
    expect(isKapriError(await writeOutputSet(out, set(1), false).catch((x: unknown) => x), 'Io')).toBe(true);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    expect(readdirSync(base).filter((n) => n.includes('kapri-'))).toEqual([]);
    await checkOutputFolder(out, NAMES, true);
    await writeOutputSet(out, set(1), true);
    expect(readdirSync(out).sort()).toEqual([...NAMES].sort());
  });

  it('accepts a previous set with a temporary file an interrupted older run left, and checks without creating the folder', async () => {
    const out = join(base, 'd');
    await checkOutputFolder(out, NAMES, false);
    expect(existsSync(out)).toBe(false);
    await writeOutputSet(out, set(1), false);
    writeFileSync(join(out, 'report.html.tmp-123-abc'), 'partial');
    await checkOutputFolder(out, NAMES, false);
    await writeOutputSet(out, set(2), false);
    expect(readdirSync(out).sort()).toEqual([...NAMES].sort());
  });

  it('leaves no temporary folder when SIGINT or SIGTERM ends a process while it writes sets', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const dir = mkdtempSync(join(base, `sig-`));
      const out = join(dir, 'out');
      const script = join(dir, 'writer.mts');
      writeFileSync(
        script,
        `import { writeOutputSet } from ${JSON.stringify(join(root, 'src/cli/outputSet.ts'))};
const names = ${JSON.stringify(NAMES)};
for (let g = 0; ; g++) {
  await writeOutputSet(${JSON.stringify(out)}, names.map((n) => [n, (g + '\\n').padEnd(2_000_000, '.')]), false);
  if (g === 0) process.stdout.write('first\\n');
}
`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // The writer loops forever: whatever happens to this test, it must not outlive it (the finally
      // below does not run when vitest abandons a timed-out test; this hook does).
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_, s) => r(s)));
      try {
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += String(d)));
        await new Promise<void>((resolve, reject) => {
          child.stdout.once('data', () => resolve());
          child.once('exit', () => reject(new Error(`the writer ended early: ${stderr}`)));
        });
        await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 100)));
        child.kill(signal);
        expect(await exited).toBe(signal);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      expect(readdirSync(dir).sort()).toEqual(['out', 'writer.mts']);
      expect(new Set(gens(out)).size).toBe(1);
      expect(readdirSync(out).sort()).toEqual([...NAMES].sort());
    }
    // tsx's start-up alone takes seconds on a loaded 2-core machine.
  }, 120_000);
});
