import { describe, expect, it } from 'vitest';
import { Arena, type Region } from '../../src/kernels/arena.js';
import { isKapriError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { thrown } from '../support/thrown.js';

const newArena = (maxPages = 64) =>
  new Arena(new WebAssembly.Memory({ initial: 1, maximum: maxPages }), 1000, { maxBytes: maxPages * 65536 });

describe('Arena', () => {
  it('aligns the base and every region to 64 bytes', () => {
    const a = newArena();
    expect(a.base).toBe(1024);
    for (const n of [1, 3, 64, 65, 100]) expect(a.alloc(n).ptr % 64).toBe(0);
  });

  it('never hands out overlapping regions under random alloc/free', () => {
    const a = newArena(256);
    const rng = createRng(7);
    const live: Region[] = [];
    for (let step = 0; step < 2000; step++) {
      if (live.length > 0 && rng.uniform() < 0.45) {
        a.free(live.splice(rng.int(live.length), 1)[0]!);
      } else {
        live.push(a.alloc(rng.int(5000)));
      }
      const sorted = [...live].sort((x, y) => x.ptr - y.ptr);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]!.ptr).toBeGreaterThanOrEqual(sorted[i - 1]!.ptr + Math.max(sorted[i - 1]!.bytes, 1));
    }
  });

  it('reuses freed space and shrinks the high-water mark when the tail is freed', () => {
    const a = newArena();
    const r1 = a.alloc(256);
    const r2 = a.alloc(256);
    a.free(r2);
    a.free(r1);
    expect(a.highWater).toBe(a.base);
    expect(a.alloc(512).ptr).toBe(a.base);
  });

  it('grows the memory on demand and gives views that see the grown buffer', () => {
    const a = newArena();
    const r = a.alloc(3 * 65536);
    expect(a.memory.buffer.byteLength).toBeGreaterThanOrEqual(a.base + 3 * 65536);
    const v = a.f32(r);
    v[v.length - 1] = 42;
    expect(a.f32(r)[v.length - 1]).toBe(42);
  });

  it('refreshes views after growth detached the old buffer', () => {
    const a = newArena();
    const r = a.alloc(16);
    a.f32(r)[0] = 7;
    a.alloc(5 * 65536); // grows: the old ArrayBuffer is detached
    expect(a.f32(r)[0]).toBe(7);
  });

  it.each([-1, 1.5, Number.NaN])('refuses a request of %s bytes with InvalidArgument', (n) => {
    expect(
      isKapriError(
        thrown(() => newArena().alloc(n)),
        'InvalidArgument',
      ),
    ).toBe(true);
  });

  it('refuses a request larger than the memory can ever hold with OutOfMemory', () => {
    const e = thrown(() => newArena(4).alloc(10 * 65536));
    expect(isKapriError(e, 'OutOfMemory')).toBe(true);
  });

  it('refuses a double free', () => {
    const a = newArena();
    const r = a.alloc(10);
    a.free(r);
    expect(
      isKapriError(
        thrown(() => a.free(r)),
        'InvalidArgument',
      ),
    ).toBe(true);
  });

  it('knows which byte ranges lie inside a live region', () => {
    const a = newArena();
    const r = a.alloc(100);
    expect(a.contains(r.ptr, 100)).toBe(true);
    expect(a.contains(r.ptr + 50, 100)).toBe(false);
    a.free(r);
    expect(a.contains(r.ptr, 1)).toBe(false);
  });

  it('answers a range from a region start by that region alone, and offsets inside a region as well', () => {
    const a = newArena();
    const r1 = a.alloc(128);
    const r2 = a.alloc(128);
    expect(r2.ptr).toBe(r1.ptr + 128); // adjacent: a range over both is in no one region
    expect(a.contains(r1.ptr, 128)).toBe(true);
    expect(a.contains(r1.ptr, 129)).toBe(false);
    expect(a.contains(r1.ptr, 256)).toBe(false);
    expect(a.contains(r1.ptr + 64, 64)).toBe(true);
    expect(a.contains(r1.ptr + 64, 65)).toBe(false);
    expect(a.contains(r2.ptr + 127, 1)).toBe(true);
    expect(a.contains(r2.ptr + 128, 1)).toBe(false);
    expect(a.contains(r1.ptr, 0)).toBe(true);
    expect(a.contains(r1.ptr, -1)).toBe(false);
  });

  it('frees everything on reset', () => {
    const a = newArena();
    a.alloc(100);
    a.alloc(100);
    a.reset();
    expect(a.liveCount).toBe(0);
    expect(a.alloc(10).ptr).toBe(a.base);
  });

  it('refuses a view longer than its region, so a write cannot reach the next region', () => {
    const a = newArena();
    const r = a.alloc(16);
    a.alloc(64);
    expect(a.f32(r, 4).length).toBe(4);
    const e = thrown(() => a.f32(r, 5));
    expect(isKapriError(e, 'InvalidArgument')).toBe(true);
    expect((e as Error).message).toMatch(/20 bytes.*region of 16 bytes/);
    expect(
      isKapriError(
        thrown(() => a.i8(r, 17)),
        'InvalidArgument',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        thrown(() => a.u8At(r, 17)),
        'InvalidArgument',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        thrown(() => a.i32(r, 5)),
        'InvalidArgument',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        thrown(() => a.u32(r, 5)),
        'InvalidArgument',
      ),
    ).toBe(true);
  });

  it('refuses views of a freed region and of a forged region', () => {
    const a = newArena();
    const r = a.alloc(64);
    const big = a.alloc(64);
    expect(
      isKapriError(
        thrown(() => a.u8At({ ptr: r.ptr, bytes: 4096 }, 4096)),
        'InvalidArgument',
      ),
    ).toBe(true);
    expect(
      isKapriError(
        thrown(() => a.u8At({ ptr: r.ptr + 8, bytes: 8 })),
        'InvalidArgument',
      ),
    ).toBe(true);
    a.free(big);
    expect(thrown(() => a.f32(big, 1))).toMatchObject({ message: expect.stringMatching(/any live region/) });
  });
});
