/**
 * Ctrl-C during a long run: one line saying what was kept, then the conventional exit code (130 for
 * SIGINT, 143 for SIGTERM). Installed only while nothing is being written: the output set's own
 * handlers (outputSet.ts) take over for the renames, so an interrupted write is never half done.
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Until the returned function is called, SIGINT or SIGTERM prints `message()` on stderr and ends the
 * process.
 *
 * @example
 * const release = onInterrupt(() => 'kapri: interrupted; nothing was written');
 * await longWork();
 * release();
 */
export const onInterrupt = (message: () => string): (() => void) => {
  const handler = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${message()}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
};
