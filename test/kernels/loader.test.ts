import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKernels } from '../../src/kernels/loader.js';
import { kernelSignatures } from '../../src/kernels/kernelSignatures.js';
import { isKapriError } from '../../src/core/errors.js';

const rejection = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
};
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

/** A module exporting `name → params` as functions of that many i32 parameters that do nothing. */
const moduleExporting = (params: Record<string, number>): Uint8Array => {
  const names = Object.keys(params);
  const counts = [...new Set(Object.values(params))];
  const I32 = 0x7f;
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(counts.map((p) => [0x60, ...leb(p), ...Array<number>(p).fill(I32), 0]))),
    ...section(3, vec(names.map((n) => leb(counts.indexOf(params[n]!))))),
    ...section(
      7,
      vec(names.map((n, i) => [...vec([...new TextEncoder().encode(n)].map((b) => [b])), 0x00, ...leb(i)])),
    ),
    ...section(10, vec(names.map(() => [0x02, 0x00, 0x0b]))),
  ]);
};

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

  it('refuses a module whose kernels take other numbers of parameters, naming each with both counts', async () => {
    const params = Object.fromEntries(Object.entries(kernelSignatures).map(([n, s]) => [n, s.params]));
    const e = await rejection(
      loadKernels({ build: 'simd', source: moduleExporting({ ...params, qs8_add: 11, f32_gemm: 9 }) }),
    );
    expect(isKapriError(e, 'KernelLoad')).toBe(true);
    expect((e as Error).message).toBe(
      'kapri kernels: qs8_add takes 11 parameter(s), this runtime calls it with 12; f32_gemm takes 9 parameter(s), ' +
        'this runtime calls it with 10; it is stale or not a kapri build. Rebuild with `npm run build:wasm`.',
    );
  });

  it('chooses a single-thread build unless threads are asked for', async () => {
    expect((await loadKernels()).build).not.toBe('threads');
    expect((await loadKernels({ threads: true })).build).toBe('threads');
  });
});
