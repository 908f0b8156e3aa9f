/** The compiled CLI as the tests run it: `node dist/src/cli/main.js …` from the repository root. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/src/cli/main.js');

/** Runs `kapri ARGS…` to completion; stdout and stderr as text. */
export const kapriCli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
