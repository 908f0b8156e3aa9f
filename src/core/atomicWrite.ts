/**
 * Writes a file so that readers see either the old content or the whole new one, never a part:
 * write to a temporary name in the same folder, then rename over the target. Node only.
 *
 * @example
 * await writeFileAtomic('out/report.json', JSON.stringify(report));
 */
import { kapriError } from './errors.js';

export const writeFileAtomic = async (path: string, data: string | Uint8Array): Promise<void> => {
  const fs = (await import(/* @vite-ignore */ 'node:fs/promises' as string)) as typeof import('node:fs/promises');
  const tmp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw kapriError('Io', `cannot write ${path}: ${(e as Error).message}`, { path });
  }
};
