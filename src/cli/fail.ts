/** How the CLI ends on an error: one paragraph on stderr, no stack trace, a non-zero exit. */
import { KapriError } from '../core/errors.js';

export class UsageError extends Error {}

/** Prints the error as one paragraph and returns the exit code (2 for usage, 1 otherwise). */
export const reportFailure = (e: unknown): number => {
  if (e instanceof UsageError) {
    process.stderr.write(`kapri: ${e.message}\n`);
    return 2;
  }
  if (e instanceof KapriError) {
    process.stderr.write(`kapri: ${e.message}\n`);
    return 1;
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`kapri: unexpected failure: ${msg}\nPlease report this with the command you ran.\n`);
  return 1;
};
