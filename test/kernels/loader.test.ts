import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKernels } from '../../src/kernels/loader.js';
import { isKapriError } from '../../src/core/errors.js';

const rejection = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );

describe('loadKernels', () => {
  it.each(['simd', 'relaxed', 'threads'] as const)('loads the %s build with its memory and arena', async (build) => {
    const k = await loadKernels({ build });
    expect(k.build).toBe(build);
    expect(k.arena.base).toBeGreaterThanOrEqual(k.exports.heap_base());
    expect(k.memory.buffer instanceof SharedArrayBuffer).toBe(build === 'threads');
  });

  it('names the missing file and the fix when the wasm file does not exist', async () => {
    const e = await rejection(loadKernels({ build: 'simd', source: '/nonexistent/kapri-simd.wasm' }));
    expect(isKapriError(e, 'KernelLoad')).toBe(true);
    expect((e as Error).message).toContain('/nonexistent/kapri-simd.wasm');
    expect((e as Error).message).toContain('npm install');
  });

  it('names a corrupt wasm file and the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kapri-'));
    const file = join(dir, 'kapri-simd.wasm');
    await writeFile(file, new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0x13]));
    const e = await rejection(loadKernels({ build: 'simd', source: file }));
    expect(isKapriError(e, 'KernelLoad')).toBe(true);
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).toContain('npm install');
  });

  it('refuses a valid module that lacks the kernel exports (a stale or foreign build)', async () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const e = await rejection(loadKernels({ build: 'simd', source: empty }));
    expect(isKapriError(e, 'KernelLoad')).toBe(true);
    expect((e as Error).message).toMatch(/lacks heap_base/);
  });

  it('chooses a single-thread build unless threads are asked for', async () => {
    expect((await loadKernels()).build).not.toBe('threads');
    expect((await loadKernels({ threads: true })).build).toBe('threads');
  });
});
