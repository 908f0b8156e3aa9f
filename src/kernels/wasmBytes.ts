/**
 * Reading a kernel build's bytes: from a file in Node, through fetch in a browser, or from bytes the
 * caller already holds. Every failure names the file and the fix.
 */
import { kapriError } from '../core/errors.js';
import { detectEnvironment, importNode } from './environment.js';
import type { KernelBuild } from './capabilities.js';

/** Where a build's bytes come from. A string is a file path in Node and a URL in a browser. */
export type WasmSource = string | URL | Uint8Array | ArrayBuffer;

const FIX = 'The kernels are built by `npm install` (its prepare step) or by `npm run build:wasm`.';

/** The default location of a build: `build/kapri-<build>.wasm` at the package root. */
export const defaultWasmUrl = (build: KernelBuild): URL => new URL(`../../build/kapri-${build}.wasm`, import.meta.url);

const describe = (src: WasmSource): string =>
  typeof src === 'string'
    ? src
    : src instanceof URL
      ? src.protocol === 'file:'
        ? decodeURIComponent(src.pathname)
        : src.href
      : '(bytes)';

/** Reads the bytes of a kernel module; throws `KernelLoad` naming the file when it cannot. */
export const readWasmBytes = async (src: WasmSource): Promise<Uint8Array> => {
  if (src instanceof Uint8Array) return src;
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  const where = describe(src);
  if (detectEnvironment() === 'node' && (typeof src === 'string' || src.protocol === 'file:')) {
    const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
    try {
      return new Uint8Array(await fs.readFile(src));
    } catch (e) {
      const code = (e as { code?: string }).code ?? (e as Error).message;
      throw kapriError('KernelLoad', `kapri kernels: cannot read ${where} (${code}). ${FIX}`, { file: where });
    }
  }
  let res: Response;
  try {
    res = await fetch(src);
  } catch (e) {
    throw kapriError('KernelLoad', `kapri kernels: cannot fetch ${where} (${(e as Error).message}). ${FIX}`, {
      file: where,
    });
  }
  if (!res.ok) {
    throw kapriError(
      'KernelLoad',
      `kapri kernels: fetching ${where} answered HTTP ${res.status}. ${FIX} Serve the build/ folder next to the page.`,
      {
        file: where,
      },
    );
  }
  return new Uint8Array(await res.arrayBuffer());
};

/** Compiles bytes into a module; a corrupt file becomes `KernelLoad` naming it. */
export const compileWasm = async (bytes: Uint8Array, src: WasmSource): Promise<WebAssembly.Module> => {
  try {
    return await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    throw kapriError(
      'KernelLoad',
      `kapri kernels: ${describe(src)} is not a valid WebAssembly module for this engine (${(e as Error).message}). ${FIX}`,
      { file: describe(src) },
    );
  }
};
