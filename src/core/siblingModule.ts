/**
 * A module beside the caller's, as a worker thread or a child process must be pointed at it: the
 * compiled `.js` when the caller runs compiled, or the `.ts` source run through tsx when the caller
 * itself runs from source (tests, development).
 *
 * @example
 * const entry = siblingModule(import.meta.url, 'seedWorker');
 * new Worker(entry.url, { execArgv: entry.execArgv });
 */
export const siblingModule = (callerUrl: string, name: string): { url: URL; execArgv: string[] } => {
  const fromTs = callerUrl.endsWith('.ts');
  return {
    url: new URL(`./${name}${fromTs ? '.ts' : '.js'}`, callerUrl),
    execArgv: fromTs ? ['--import', 'tsx'] : [],
  };
};
