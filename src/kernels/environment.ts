/** Where the kernels run: Node (files, worker_threads) or a browser (URLs, Web Workers). */
export type Environment = 'node' | 'browser';

/** Detects Node by its `process.versions.node`; anything else with `fetch` is treated as a browser. */
export const detectEnvironment = (): Environment => {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node !== undefined ? 'node' : 'browser';
};

/**
 * Imports a Node built-in without letting a browser bundler try to resolve it: the specifier is a
 * variable, so the import is only attempted when this code path actually runs in Node.
 */
export const importNode = async <T>(specifier: string): Promise<T> => (await import(/* @vite-ignore */ specifier)) as T;
