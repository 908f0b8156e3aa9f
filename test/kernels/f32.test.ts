import { describe, expect, it } from 'vitest';
import { loadKernels, type KernelModule } from '../../src/kernels/loader.js';
import {
  cosineRowsF32,
  cosineRowsF32At,
  gemmF32,
  gemmF32At,
  l2NormalizeRowsF32,
  l2NormalizeRowsF32At,
  lowRankF32,
  lowRankF32At,
  rooflineF32,
} from '../../src/kernels/f32.js';
import { refCosineRowsF32, refGemmF32, refL2NormalizeRowsF32, refLowRankF32 } from '../../src/kernels/reference/f32.js';
import { expectTag, randomF32 } from '../support/values.js';

const BUILDS = ['simd', 'relaxed', 'threads'] as const;
const TOL = 1e-5;

const abs = (x: Float32Array): Float32Array => x.map(Math.abs);

/** |got − ref| ≤ 1e-5·(|ref| + scale) elementwise, scale = Σ|a||b| (+|bias|) of that output. */
const expectClose = (got: Float32Array, ref: Float32Array, scale: Float32Array, what: string): void => {
  expect(got.length).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i]! - ref[i]!);
    if (!(err <= TOL * (Math.abs(ref[i]!) + scale[i]!))) {
      throw new Error(`${what}: element ${i} is ${got[i]}, reference ${ref[i]} (scale ${scale[i]})`);
    }
  }
};

/** A region filled with `x`, to be freed by the caller. */
const put = (k: KernelModule, x: Float32Array) => {
  const r = k.arena.alloc(x.length * 4);
  k.arena.f32(r, x.length).set(x);
  return r;
};

describe.each(BUILDS)('f32 kernels (%s build)', (build) => {
  it('keeps arena offset 0 out of reach, so a 0 pointer can mean "no bias"', async () => {
    const k = await loadKernels({ build });
    expect(k.exports.heap_base()).toBeGreaterThan(0);
    expect(k.arena.base).toBeGreaterThan(0);
  });

  it.each([1, 3, 4, 7, 17, 33, 130])(
    'GEMM of %i rows matches the reference over k, n sweeps, with bias and ReLU',
    async (m) => {
      const k = await loadKernels({ build });
      for (const kk of [1, 3, 7, 17, 33, 300]) {
        for (const n of [1, 3, 4, 7, 8, 9, 17, 33, 65]) {
          const seed = m * 1_000_003 + kk * 1009 + n;
          const a = randomF32(m * kk, seed);
          const b = randomF32(kk * n, seed + 1);
          const bias = randomF32(n, seed + 2);
          const scaleNoBias = refGemmF32(abs(a), abs(b), { m, k: kk, n });
          const scaleBias = refGemmF32(abs(a), abs(b), { m, k: kk, n }, abs(bias));
          const dims = { m, k: kk, n };
          expectClose(gemmF32(k, a, b, dims), refGemmF32(a, b, dims), scaleNoBias, `gemm ${m}x${kk}x${n}`);
          expectClose(
            gemmF32(k, a, b, dims, { bias, relu: true }),
            refGemmF32(a, b, dims, bias, true),
            scaleBias,
            `gemm+bias+relu ${m}x${kk}x${n}`,
          );
        }
      }
    },
  );

  it('GEMM with k spanning several k panels (k = 513, 1100) matches the reference', async () => {
    const k = await loadKernels({ build });
    for (const [m, kk, n] of [
      [9, 513, 19],
      [5, 1100, 12],
    ] as const) {
      const a = randomF32(m * kk, kk);
      const b = randomF32(kk * n, kk + 1);
      const bias = randomF32(n, kk + 2);
      const dims = { m, k: kk, n };
      expectClose(
        gemmF32(k, a, b, dims, { bias, relu: true }),
        refGemmF32(a, b, dims, bias, true),
        refGemmF32(abs(a), abs(b), dims, abs(bias)),
        `gemm ${m}x${kk}x${n}`,
      );
    }
  });

  it('GEMM with k = 0 gives the bias (then ReLU), and m = 0 or n = 0 give empty outputs', async () => {
    const k = await loadKernels({ build });
    const bias = new Float32Array([1, -2, 3]);
    expect(
      Array.from(gemmF32(k, new Float32Array(0), new Float32Array(0), { m: 2, k: 0, n: 3 }, { bias, relu: true })),
    ).toEqual([1, 0, 3, 1, 0, 3]);
    expect(gemmF32(k, new Float32Array(0), new Float32Array(12), { m: 0, k: 4, n: 3 }).length).toBe(0);
    expect(gemmF32(k, new Float32Array(8), new Float32Array(0), { m: 2, k: 4, n: 0 }).length).toBe(0);
  });

  it('GEMM over a row range writes exactly those rows, and two halves make the whole', async () => {
    const k = await loadKernels({ build });
    const [m, kk, n] = [23, 37, 21];
    const a = randomF32(m * kk, 5);
    const b = randomF32(kk * n, 6);
    const bias = randomF32(n, 7);
    const [ra, rb, rc, ry] = [put(k, a), put(k, b), put(k, bias), k.arena.alloc(m * n * 4)];
    try {
      const sentinel = 12345.5;
      k.arena.f32(ry!, m * n).fill(sentinel);
      gemmF32At(k, ra, rb, rc, ry, { m, k: kk, n }, { relu: true, rowStart: 6, rowEnd: 15 });
      const y = k.arena.f32(ry, m * n).slice();
      const ref = refGemmF32(a, b, { m, k: kk, n }, bias, true);
      const scale = refGemmF32(abs(a), abs(b), { m, k: kk, n }, abs(bias));
      for (let i = 0; i < m; i++) {
        const row = y.subarray(i * n, (i + 1) * n);
        if (i < 6 || i >= 15) expect(row.every((v) => v === sentinel)).toBe(true);
        else expectClose(row, ref.subarray(i * n, (i + 1) * n), scale.subarray(i * n, (i + 1) * n), `row ${i}`);
      }
      gemmF32At(k, ra, rb, rc, ry, { m, k: kk, n }, { relu: true, rowStart: 0, rowEnd: 11 });
      gemmF32At(k, ra, rb, rc, ry, { m, k: kk, n }, { relu: true, rowStart: 11, rowEnd: m });
      expectClose(k.arena.f32(ry, m * n).slice(), ref, scale, 'two halves');
    } finally {
      for (const r of [ra, rb, rc, ry]) k.arena.free(r);
    }
  });

  it.each([1, 3, 17, 33, 70])('fused low-rank projection of %i rows matches (x·U)·V over d, r, n sweeps', async (m) => {
    const k = await loadKernels({ build });
    for (const d of [1, 7, 33, 130]) {
      for (const r of [1, 3, 16, 17]) {
        for (const n of [1, 7, 33, 65]) {
          const seed = m * 100_003 + d * 1009 + r * 31 + n;
          const x = randomF32(m * d, seed);
          const u = randomF32(d * r, seed + 1);
          const v = randomF32(r * n, seed + 2);
          const bias = randomF32(n, seed + 3);
          const dims = { m, d, r, n };
          const scale = refLowRankF32(abs(x), abs(u), abs(v), dims, abs(bias));
          expectClose(
            lowRankF32(k, x, u, v, dims, { bias }),
            refLowRankF32(x, u, v, dims, bias),
            scale,
            `lowrank ${m},${d},${r},${n}`,
          );
          expectClose(
            lowRankF32(k, x, u, v, dims),
            refLowRankF32(x, u, v, dims),
            refLowRankF32(abs(x), abs(u), abs(v), dims),
            `lowrank nobias ${m},${d},${r},${n}`,
          );
        }
      }
    }
  });

  it('low-rank projection over a row range writes exactly those rows', async () => {
    const k = await loadKernels({ build });
    const dims = { m: 41, d: 29, r: 5, n: 19 };
    const x = randomF32(dims.m * dims.d, 1);
    const u = randomF32(dims.d * dims.r, 2);
    const v = randomF32(dims.r * dims.n, 3);
    const regs = [
      put(k, x),
      put(k, u),
      put(k, v),
      k.arena.alloc(dims.m * dims.n * 4),
      k.arena.alloc(dims.m * dims.r * 4),
    ] as const;
    try {
      const [rx, ru, rv, ry, rt] = regs;
      k.arena.f32(ry, dims.m * dims.n).fill(-7.25);
      lowRankF32At(k, rx, ru, rv, null, ry, rt, dims, { rowStart: 3, rowEnd: 22 });
      const y = k.arena.f32(ry, dims.m * dims.n).slice();
      const ref = refLowRankF32(x, u, v, dims);
      const scale = refLowRankF32(abs(x), abs(u), abs(v), dims);
      for (let i = 0; i < dims.m; i++) {
        const s = [i * dims.n, (i + 1) * dims.n] as const;
        if (i < 3 || i >= 22) expect(y.subarray(...s).every((e) => e === -7.25)).toBe(true);
        else expectClose(y.subarray(...s), ref.subarray(...s), scale.subarray(...s), `row ${i}`);
      }
    } finally {
      for (const r of regs) k.arena.free(r);
    }
  });

  it.each([1, 3, 7])('L2-normalises %i rows like the reference, zero rows staying zero', async (m) => {
    const k = await loadKernels({ build });
    for (const n of [0, 1, 3, 4, 7, 8, 17, 33]) {
      const x = randomF32(m * n, m * 100 + n);
      if (n > 0) x.fill(0, 0, n); // first row all zeros: eps keeps it finite
      const y = l2NormalizeRowsF32(k, x, m, n);
      expectClose(y, refL2NormalizeRowsF32(x, m, n, 1e-12), new Float32Array(m * n).fill(1), `l2 ${m}x${n}`);
      expect(y.every(Number.isFinite)).toBe(true);
    }
    const x = randomF32(m * 5, 9);
    expectClose(
      l2NormalizeRowsF32(k, x, m, 5, 10),
      refL2NormalizeRowsF32(x, m, 5, 10),
      new Float32Array(m * 5).fill(1),
      'large eps',
    );
  });

  it('L2-normalises in place through the region form', async () => {
    const k = await loadKernels({ build });
    const x = randomF32(3 * 9, 4);
    const r = put(k, x);
    try {
      l2NormalizeRowsF32At(k, r, r, 3, 9);
      expectClose(
        k.arena.f32(r, 27).slice(),
        refL2NormalizeRowsF32(x, 3, 9, 1e-12),
        new Float32Array(27).fill(1),
        'in place',
      );
    } finally {
      k.arena.free(r);
    }
  });

  it.each([1, 3, 7])('computes the cosine of %i row pairs like the reference', async (m) => {
    const k = await loadKernels({ build });
    for (const n of [0, 1, 3, 4, 7, 8, 17, 33]) {
      const a = randomF32(m * n, m * 7 + n);
      const b = randomF32(m * n, m * 7 + n + 1);
      if (n > 0 && m > 1) b.set(a.subarray(n, 2 * n), n); // an identical pair: cosine 1
      if (n > 0) a.fill(0, 0, n); // a zero row: cosine 0
      const y = cosineRowsF32(k, a, b, m, n);
      expectClose(y, refCosineRowsF32(a, b, m, n, 1e-12), new Float32Array(m).fill(1), `cos ${m}x${n}`);
      if (n > 0) expect(y[0]).toBe(0);
      if (n > 0 && m > 1) expect(y[1]).toBeCloseTo(1, 5);
    }
  });

  it('runs the roofline probe, whose result depends on the work', async () => {
    const k = await loadKernels({ build });
    const a = rooflineF32(k, 1000);
    const b = rooflineF32(k, 2000);
    expect(Number.isFinite(a) && a > 0).toBe(true);
    expect(b).toBeGreaterThan(a);
  });

  it('leaves no arena region behind, after successes and after refusals', async () => {
    const k = await loadKernels({ build });
    const before = k.arena.liveCount;
    gemmF32(k, randomF32(12, 1), randomF32(20, 2), { m: 3, k: 4, n: 5 }, { bias: randomF32(5, 3), relu: true });
    lowRankF32(
      k,
      randomF32(12, 1),
      randomF32(8, 2),
      randomF32(10, 3),
      { m: 3, d: 4, r: 2, n: 5 },
      { bias: randomF32(5, 4) },
    );
    l2NormalizeRowsF32(k, randomF32(12, 1), 3, 4);
    cosineRowsF32(k, randomF32(12, 1), randomF32(12, 2), 3, 4);
    expectTag(() => gemmF32(k, randomF32(12, 1), randomF32(19, 2), { m: 3, k: 4, n: 5 }), 'InvalidShape');
    expectTag(
      () =>
        lowRankF32(
          k,
          randomF32(12, 1),
          randomF32(8, 2),
          randomF32(10, 3),
          { m: 3, d: 4, r: 2, n: 5 },
          { bias: randomF32(4, 4) },
        ),
      'InvalidShape',
    );
    expect(k.arena.liveCount).toBe(before);
  });
});

describe('f32 wrappers refuse bad input before calling wasm', () => {
  const f = (n: number) => new Float32Array(n);
  const d64 = (n: number) => new Float64Array(n) as unknown as Float32Array;

  it('refuses wrong dtypes with InvalidShape', async () => {
    const k = await loadKernels({ build: 'simd' });
    const dims = { m: 2, k: 3, n: 4 };
    expectTag(() => gemmF32(k, d64(6), f(12), dims), 'InvalidShape');
    expectTag(() => gemmF32(k, f(6), d64(12), dims), 'InvalidShape');
    expectTag(() => gemmF32(k, f(6), f(12), dims, { bias: d64(4) }), 'InvalidShape');
    expectTag(() => gemmF32(k, Array.from(f(6)) as unknown as Float32Array, f(12), dims), 'InvalidShape');
    const lr = { m: 2, d: 3, r: 2, n: 4 };
    expectTag(() => lowRankF32(k, d64(6), f(6), f(8), lr), 'InvalidShape');
    expectTag(() => lowRankF32(k, f(6), d64(6), f(8), lr), 'InvalidShape');
    expectTag(() => lowRankF32(k, f(6), f(6), d64(8), lr), 'InvalidShape');
    expectTag(() => lowRankF32(k, f(6), f(6), f(8), lr, { bias: d64(4) }), 'InvalidShape');
    expectTag(() => l2NormalizeRowsF32(k, d64(6), 2, 3), 'InvalidShape');
    expectTag(() => cosineRowsF32(k, f(6), d64(6), 2, 3), 'InvalidShape');
    expectTag(() => cosineRowsF32(k, null as unknown as Float32Array, f(6), 2, 3), 'InvalidShape');
  });

  it('refuses wrong lengths with InvalidShape', async () => {
    const k = await loadKernels({ build: 'simd' });
    const dims = { m: 2, k: 3, n: 4 };
    expectTag(() => gemmF32(k, f(7), f(12), dims), 'InvalidShape');
    expectTag(() => gemmF32(k, f(6), f(11), dims), 'InvalidShape');
    expectTag(() => gemmF32(k, f(6), f(12), dims, { bias: f(3) }), 'InvalidShape');
    const lr = { m: 2, d: 3, r: 2, n: 4 };
    expectTag(() => lowRankF32(k, f(5), f(6), f(8), lr), 'InvalidShape');
    expectTag(() => lowRankF32(k, f(6), f(7), f(8), lr), 'InvalidShape');
    expectTag(() => lowRankF32(k, f(6), f(6), f(9), lr), 'InvalidShape');
    expectTag(() => lowRankF32(k, f(6), f(6), f(8), lr, { bias: f(5) }), 'InvalidShape');
    expectTag(() => l2NormalizeRowsF32(k, f(7), 2, 3), 'InvalidShape');
    expectTag(() => cosineRowsF32(k, f(6), f(5), 2, 3), 'InvalidShape');
    expectTag(() => cosineRowsF32(k, f(5), f(6), 2, 3), 'InvalidShape');
  });

  it.each([2.5, -1, Number.NaN, Infinity, 2 ** 31])('refuses the dimension %s with InvalidArgument', async (bad) => {
    const k = await loadKernels({ build: 'simd' });
    expectTag(() => gemmF32(k, f(6), f(12), { m: bad, k: 3, n: 4 }), 'InvalidArgument');
    expectTag(() => gemmF32(k, f(6), f(12), { m: 2, k: bad, n: 4 }), 'InvalidArgument');
    expectTag(() => gemmF32(k, f(6), f(12), { m: 2, k: 3, n: bad }), 'InvalidArgument');
    expectTag(() => lowRankF32(k, f(6), f(6), f(8), { m: 2, d: 3, r: bad, n: 4 }), 'InvalidArgument');
    expectTag(() => lowRankF32(k, f(6), f(6), f(8), { m: 2, d: bad, r: 2, n: 4 }), 'InvalidArgument');
    expectTag(() => l2NormalizeRowsF32(k, f(6), bad, 3), 'InvalidArgument');
    expectTag(() => cosineRowsF32(k, f(6), f(6), 2, bad), 'InvalidArgument');
    expectTag(() => rooflineF32(k, bad), 'InvalidArgument');
  });

  it.each([0, -1e-3, Number.NaN, Infinity, 1e-60])('refuses eps %s with InvalidArgument', async (eps) => {
    const k = await loadKernels({ build: 'simd' });
    expectTag(() => l2NormalizeRowsF32(k, f(6), 2, 3, eps), 'InvalidArgument');
    expectTag(() => cosineRowsF32(k, f(6), f(6), 2, 3, eps), 'InvalidArgument');
  });

  it('refuses regions outside the arena, too small, or aliasing the output', async () => {
    const k = await loadKernels({ build: 'simd' });
    const before = k.arena.liveCount;
    const a = k.arena.alloc(6 * 4);
    const b = k.arena.alloc(12 * 4);
    const y = k.arena.alloc(8 * 4);
    const t = k.arena.alloc(4 * 4);
    const far = { ptr: 1 << 30, bytes: 1024 };
    const dims = { m: 2, k: 3, n: 4 };
    try {
      expectTag(() => gemmF32At(k, far, b, null, y, dims), 'InvalidArgument');
      expectTag(() => gemmF32At(k, a, far, null, y, dims), 'InvalidArgument');
      expectTag(() => gemmF32At(k, a, b, far, y, dims), 'InvalidArgument');
      expectTag(() => gemmF32At(k, a, b, null, far, dims), 'InvalidArgument');
      expectTag(() => gemmF32At(k, a, b, null, { ptr: y.ptr, bytes: 16 }, dims), 'InvalidArgument'); // too small
      expectTag(() => gemmF32At(k, a, b, null, a, { m: 2, k: 3, n: 3 }), 'InvalidArgument'); // y aliases a
      expectTag(() => gemmF32At(k, a, b, null, y, dims, { rowStart: 1, rowEnd: 3 }), 'InvalidArgument');
      expectTag(() => gemmF32At(k, a, b, null, y, dims, { rowStart: 2, rowEnd: 1 }), 'InvalidArgument');
      expectTag(() => gemmF32At(k, a, b, null, y, dims, { rowStart: 0.5 }), 'InvalidArgument');
      const lr = { m: 2, d: 3, r: 2, n: 4 };
      const u = a; // 6 floats = d×r
      const v = y; // reused below only for refusal cases
      expectTag(() => lowRankF32At(k, far, u, b, null, y, t, lr), 'InvalidArgument');
      expectTag(() => lowRankF32At(k, a, u, b, null, y, far, lr), 'InvalidArgument');
      expectTag(() => lowRankF32At(k, a, u, b, null, y, { ptr: t.ptr, bytes: 8 }, lr), 'InvalidArgument');
      expectTag(() => lowRankF32At(k, a, u, b, null, y, y, lr), 'InvalidArgument'); // t aliases y
      expectTag(() => lowRankF32At(k, a, u, v, null, y, t, lr), 'InvalidArgument'); // y aliases v
      expectTag(() => lowRankF32At(k, a, u, b, null, y, t, lr, { rowEnd: 3 }), 'InvalidArgument');
      expectTag(() => l2NormalizeRowsF32At(k, far, y, 2, 4), 'InvalidArgument');
      expectTag(() => l2NormalizeRowsF32At(k, b, { ptr: b.ptr + 4, bytes: 32 }, 2, 4), 'InvalidArgument');
      expectTag(() => cosineRowsF32At(k, b, b, far, 2, 4), 'InvalidArgument');
      expectTag(() => cosineRowsF32At(k, b, y, b, 2, 4), 'InvalidArgument'); // y aliases a
    } finally {
      for (const r of [a, b, y, t]) k.arena.free(r);
    }
    expect(k.arena.liveCount).toBe(before);
  });
});
