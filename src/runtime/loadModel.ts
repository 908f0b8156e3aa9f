/**
 * `loadModel(source)`: reads a `model.kapri` from a path (Node), a URL (fetch) or bytes, validates it
 * and returns an executor. Imports no tfjs.
 */
import { kapriError } from '../core/errors.js';
import { detectEnvironment, importNode } from '../kernels/environment.js';
import { executorFromBytes, type Executor } from './executor.js';

export const loadModel = async (source: string | URL | Uint8Array | ArrayBuffer): Promise<Executor> => {
  if (source instanceof Uint8Array) return executorFromBytes(source);
  if (source instanceof ArrayBuffer) return executorFromBytes(new Uint8Array(source));
  const where = typeof source === 'string' ? source : source.href;
  if (detectEnvironment() === 'node' && (typeof source === 'string' || source.protocol === 'file:')) {
    const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(source));
    } catch (e) {
      throw kapriError('Io', `cannot read model ${where}: ${(e as { code?: string }).code ?? (e as Error).message}`, { file: where });
    }
    return executorFromBytes(bytes, where);
  }
  const res = await fetch(source).catch((e: Error) => {
    throw kapriError('Io', `cannot fetch model ${where}: ${e.message}`, { file: where });
  });
  if (!res.ok) throw kapriError('Io', `fetching model ${where} answered HTTP ${res.status}`, { file: where });
  return executorFromBytes(new Uint8Array(await res.arrayBuffer()), where);
};
