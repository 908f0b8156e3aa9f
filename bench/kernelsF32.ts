/**
 * f32 kernel microbenchmarks: GEMM 256×512×512 and the rank-16 projection 512→256 (256 rows),
 * kapri's single-thread kernels against tfjs's wasm backend (tf.matMul) in the same process, and
 * the f32 roofline of the GEMM microkernel's instruction mix (assembly/f32.ts `f32_roofline`).
 *
 * Both sides are timed end to end with the result read back: tfjs through `dataSync`, kapri by
 * copying the output out of the arena; inputs are created outside the timed body on both sides.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../src/backend/initTraining.js';
import { createRng } from '../src/core/rng.js';
import type { Region } from '../src/kernels/arena.js';
import { gemmF32At, lowRankF32At, rooflineF32, ROOFLINE_F32_FLOPS_PER_ITER } from '../src/kernels/f32.js';
import { loadKernels, type KernelModule } from '../src/kernels/loader.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { gops, measureMs, median } from './measure.js';

const randomF32 = (n: number, seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
};

const put = (k: KernelModule, x: Float32Array): Region => {
  const r = k.arena.alloc(x.length * 4);
  k.arena.f32(r, x.length).set(x);
  return r;
};

/** Times the tfjs body `f` (which returns a fresh tensor), including dataSync and disposal. */
const tfjsMs = (f: () => tf.Tensor, reps: number): Promise<number> =>
  measureMs(
    () => {
      const y = tf.tidy(f);
      y.dataSync();
      y.dispose();
    },
    { warmup: 3, reps, maxMs: 5000 },
  );

/** Runs the f32 section; returns its rows, tfjs ms / kapri ms on the projection, and the f32 roofline. */
export const benchF32Kernels = async (
  opts: BenchOptions,
): Promise<{ cases: BenchCase[]; projectionF32VsTfjs: number; f32RooflineGflops: number }> => {
  const k = await loadKernels();
  await initTraining({ backend: 'wasm' });
  const reps = opts.quick ? 15 : 100;
  const cases: BenchCase[] = [];
  const owned: Region[] = [];
  const tensors: tf.Tensor[] = [];
  try {
    // GEMM 256×512×512.
    {
      const [m, kk, n] = [256, 512, 512];
      const shape = `${m}x${kk}x${n}`;
      const flops = 2 * m * kk * n;
      const a = randomF32(m * kk, 1);
      const b = randomF32(kk * n, 2);
      const ra = put(k, a);
      const rb = put(k, b);
      const ry = k.arena.alloc(m * n * 4);
      owned.push(ra, rb, ry);
      opts.log(`f32 gemm ${shape}: kapri`);
      const kapri = await measureMs(
        () => {
          gemmF32At(k, ra, rb, null, ry, { m, k: kk, n });
          k.arena.f32(ry, m * n).slice();
        },
        { warmup: 3, reps, maxMs: 5000 },
      );
      opts.log(`f32 gemm ${shape}: tfjs-wasm`);
      const ta = tf.tensor2d(a, [m, kk]);
      const tb = tf.tensor2d(b, [kk, n]);
      tensors.push(ta, tb);
      const tfw = await tfjsMs(() => tf.matMul(ta, tb), reps);
      cases.push({ op: 'f32_gemm', shape, impl: 'kapri-f32-1t', msMedian: kapri, gops: gops(flops, kapri) });
      cases.push({ op: 'f32_gemm', shape, impl: 'tfjs-wasm-f32', msMedian: tfw, gops: gops(flops, tfw) });
    }

    // Projection 512→256 at rank 16 over 256 rows: y = (x·U)·V.
    let projectionF32VsTfjs: number;
    {
      const [m, d, r, n] = [256, 512, 16, 256];
      const shape = `${m}x${d}->r${r}->${n}`;
      const flops = 2 * m * (d * r + r * n);
      const x = randomF32(m * d, 3);
      const u = randomF32(d * r, 4);
      const v = randomF32(r * n, 5);
      const rx = put(k, x);
      const ru = put(k, u);
      const rv = put(k, v);
      const ry = k.arena.alloc(m * n * 4);
      const rt = k.arena.alloc(m * r * 4);
      owned.push(rx, ru, rv, ry, rt);
      const pReps = opts.quick ? 50 : 400;
      const tx = tf.tensor2d(x, [m, d]);
      const tu = tf.tensor2d(u, [d, r]);
      const tv = tf.tensor2d(v, [r, n]);
      tensors.push(tx, tu, tv);
      // A sub-millisecond op: the two sides alternate over 3 rounds and each keeps the median of
      // its round medians, so drift in the machine's state hits both alike.
      const kapriRounds: number[] = [];
      const tfjsRounds: number[] = [];
      for (let round = 0; round < 3; round++) {
        opts.log(`f32 projection ${shape}: kapri (round ${round + 1}/3)`);
        kapriRounds.push(
          await measureMs(
            () => {
              lowRankF32At(k, rx, ru, rv, null, ry, rt, { m, d, r, n });
              k.arena.f32(ry, m * n).slice();
            },
            { warmup: 10, reps: pReps, maxMs: 5000 },
          ),
        );
        opts.log(`f32 projection ${shape}: tfjs-wasm (round ${round + 1}/3)`);
        tfjsRounds.push(await tfjsMs(() => tf.matMul(tf.matMul(tx, tu), tv), pReps));
      }
      const kapri = median(kapriRounds);
      const tfw = median(tfjsRounds);
      cases.push({
        op: 'f32_lowrank_projection',
        shape,
        impl: 'kapri-f32-1t',
        msMedian: kapri,
        gops: gops(flops, kapri),
      });
      cases.push({ op: 'f32_lowrank_projection', shape, impl: 'tfjs-wasm-f32', msMedian: tfw, gops: gops(flops, tfw) });
      projectionF32VsTfjs = tfw / kapri;
    }

    // Roofline: warm up enough for the optimising tier, then time a ~10 ms call.
    opts.log('f32 roofline');
    for (let i = 0; i < 20; i++) rooflineF32(k, 100_000);
    const iters = 5_000_000;
    const roofMs = await measureMs(() => rooflineF32(k, iters), {
      warmup: 2,
      reps: opts.quick ? 5 : 20,
      maxMs: 3000,
      statistic: 'min',
    });
    const f32RooflineGflops = gops(iters * ROOFLINE_F32_FLOPS_PER_ITER, roofMs);
    cases.push({
      op: 'f32_roofline',
      shape: `${iters} iters x 8 f32x4 mul+add`,
      impl: 'kapri-f32-1t',
      msMedian: roofMs,
      gops: f32RooflineGflops,
    });

    return { cases, projectionF32VsTfjs, f32RooflineGflops };
  } finally {
    for (const r of owned) k.arena.free(r);
    tf.dispose(tensors);
  }
};
