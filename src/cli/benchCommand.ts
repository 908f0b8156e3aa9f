/**
 * `kapri bench`: runs the bench program (`bench/main.ts`, built to dist/bench/main.js) in a child
 * process with the same arguments. The package does not import its bench: the bench depends on the
 * library, never the other way, and a measurement starts in a process of its own.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { KapriError } from '../core/errors.js';

/** Where the built bench program sits relative to this built file (dist/src/cli → dist/bench). */
const benchProgram = (): string => fileURLToPath(new URL('../../bench/main.js', import.meta.url));

export const benchCommand = async (argv: string[]): Promise<number> => {
  const program = benchProgram();
  if (!existsSync(program)) {
    throw new KapriError(
      'Unsupported',
      `the bench program is not built (expected ${program}); run 'npm run build' in the kapri package first.`,
    );
  }
  const child = spawn(process.execPath, [program, ...argv], { stdio: 'inherit' });
  // The child shares the terminal, so Ctrl-C reaches it directly; a signal sent to this process alone is passed on.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal ?? 'SIGTERM'] ?? 15)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
};
