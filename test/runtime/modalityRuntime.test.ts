/** Skipping a modality: its feature comes from a kept one through an alignment projection on the kernels. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { isKapriError } from '../../src/core/errors.js';
import { fitLinearAlignment, rSquared } from '../../src/compress/alignmentFit.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { planAlignment, type AlignmentProjection } from '../../src/runtime/alignment.js';
import { loadModel } from '../../src/runtime/loadModel.js';
import { createModalityRuntime } from '../../src/runtime/modalityRuntime.js';
import { denseModelBytes } from './qmodelFixture.js';
import { thrown } from '../support/thrown.js';

const randn = (n: number, seed: number, s = 1): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * s);
};
const matvec = (x: Float32Array, w: Float32Array, n: number, bias?: Float32Array): Float64Array => {
  const d = x.length;
  const y = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    let s = bias ? bias[o]! : 0;
    for (let i = 0; i < d; i++) s += x[i]! * w[i * n + o]!;
    y[o] = s;
  }
  return y;
};
const tagOf = (e: unknown) => (isKapriError(e) ? e.tag : String(e));

describe('alignment projections on the kernels', () => {
  it('a linear projection computes h·W + b within 1e-5', async () => {
    const k = await loadKernels();
    const p: AlignmentProjection = {
      from: 'a',
      to: 'b',
      kind: 'linear',
      inDim: 13,
      outDim: 7,
      w: randn(91, 1),
      bias: randn(7, 2),
    };
    const a = planAlignment(k, p);
    const x = randn(13, 3);
    const want = matvec(x, p.w!, 7, p.bias);
    a.apply(x).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!)) * 13));
    a.dispose();
  });

  it('a low-rank projection computes (h·U)·V + b within 1e-5', async () => {
    const k = await loadKernels();
    const p: AlignmentProjection = {
      from: 'a',
      to: 'b',
      kind: 'lowRank',
      inDim: 20,
      outDim: 9,
      rank: 3,
      u: randn(60, 4),
      v: randn(27, 5),
      bias: randn(9, 6),
    };
    const a = planAlignment(k, p);
    const x = randn(20, 7);
    const t = Float32Array.from(matvec(x, p.u!, 3));
    const want = matvec(t, p.v!, 9, p.bias);
    a.apply(x).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(want[i]!))));
    a.dispose();
  });

  it.each([
    ['a weight matrix of the wrong size', { w: new Float32Array(5) }, /w must hold 91/],
    ['a NaN in the bias', { bias: new Float32Array(7).fill(Number.NaN) }, /bias holds a non-finite/],
    ['the same modality at both ends', { to: 'a' }, /two different modalities/],
    [
      'a low-rank projection without a rank',
      { kind: 'lowRank' as const, u: new Float32Array(1), v: new Float32Array(1) },
      /positive integer rank/,
    ],
  ])('refuses %s', async (_, patch, msg) => {
    const k = await loadKernels();
    const base: AlignmentProjection = {
      from: 'a',
      to: 'b',
      kind: 'linear',
      inDim: 13,
      outDim: 7,
      w: new Float32Array(91),
      bias: new Float32Array(7),
    };
    const before = k.arena.liveCount;
    const e = thrown(() => planAlignment(k, { ...base, ...patch }));
    expect(tagOf(e)).toBe('InvalidArgument');
    expect((e as Error).message).toMatch(msg);
    expect(k.arena.liveCount).toBe(before);
  });
});

describe('fitLinearAlignment', () => {
  it('recovers an exact linear map between features', () => {
    const n = 200;
    const w = randn(5 * 3, 10);
    const b = Float32Array.from([0.5, -1, 2]);
    const x = randn(n * 5, 11);
    const y = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) y.set(Float32Array.from(matvec(x.subarray(i * 5, i * 5 + 5), w, 3, b)), i * 3);
    const p = fitLinearAlignment(x, y, { from: 'a', to: 'b', n, ridge: 1e-9 });
    expect(p.inDim).toBe(5);
    expect(p.outDim).toBe(3);
    p.w!.forEach((v, i) => expect(v).toBeCloseTo(w[i]!, 4));
    p.bias.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
  });

  it('refuses features that do not split into n rows', () => {
    expect(
      tagOf(thrown(() => fitLinearAlignment(new Float32Array(10), new Float32Array(9), { from: 'a', to: 'b', n: 4 }))),
    ).toBe('InvalidShape');
  });
});

describe('modality runtime', () => {
  // Two views of one latent z (dim 6): modality a [10] and b [8]; encoders map them to features of 6 and 5.
  const latent = 6;
  const viewA = randn(latent * 10, 20, 0.5);
  const viewB = randn(latent * 8, 21, 0.5);
  const encA = randn(10 * 6, 22, 0.4);
  const encB = randn(8 * 5, 23, 0.4);
  const headW = randn(11 * 2, 24, 0.4);
  const sample = (seed: number) => {
    const z = randn(latent, seed);
    return { a: Float32Array.from(matvec(z, viewA, 10)), b: Float32Array.from(matvec(z, viewB, 8)) };
  };
  const build = async (alignments: AlignmentProjection[]) => {
    const kernels = await loadKernels();
    const encoders = {
      a: await loadModel(denseModelBytes(encA, 10, 6, 'feature'), { kernels }),
      b: await loadModel(denseModelBytes(encB, 8, 5, 'feature'), { kernels }),
    };
    const head = await loadModel(denseModelBytes(headW, 11, 2, 'output'), { kernels });
    return {
      kernels,
      encoders,
      head,
      rt: createModalityRuntime({ kernels, order: ['a', 'b'], encoders, head, alignments }),
    };
  };
  const fitted = async () => {
    const { encoders } = await build([]);
    const n = 400;
    const fa = new Float32Array(n * 6);
    const fb = new Float32Array(n * 5);
    for (let i = 0; i < n; i++) {
      const s = sample(1000 + i);
      fa.set(encoders.a.run(s.a)['feature']!, i * 6);
      fb.set(encoders.b.run(s.b)['feature']!, i * 5);
    }
    return fitLinearAlignment(fa, fb, { from: 'a', to: 'b', n });
  };

  it('with every modality kept, runs the head on the encoders’ features', async () => {
    const { rt, encoders, head } = await build([]);
    const s = sample(1);
    const features = new Float32Array(11);
    features.set(encoders.a.run(s.a)['feature']!, 0);
    features.set(encoders.b.run(s.b)['feature']!, 6);
    const r = rt.run(s);
    expect(r.substituted).toEqual({});
    expect(Array.from(r.outputs['output']!)).toEqual(Array.from(head.run(features)['output']!));
  });

  it('skipping b substitutes its feature from a through the fitted projection, without b’s input', async () => {
    const p = await fitted();
    const { rt, encoders, head, kernels } = await build([p]);
    const s = sample(2);
    const fa = encoders.a.run(s.a)['feature']!;
    const fbHat = planAlignment(kernels, p).apply(fa);
    const features = new Float32Array(11);
    features.set(fa, 0);
    features.set(fbHat, 6);
    const r = rt.run({ a: s.a }, { skip: ['b'] });
    expect(r.substituted).toEqual({ b: 'a' });
    expect(Array.from(r.outputs['output']!)).toEqual(Array.from(head.run(features)['output']!));
  });

  it('the substituted feature predicts the real one (R² > 0.9 on held-out samples)', async () => {
    const p = await fitted();
    const { encoders, kernels } = await build([p]);
    const a = planAlignment(kernels, p);
    const real = new Float32Array(100 * 5);
    const hat = new Float32Array(100 * 5);
    for (let i = 0; i < 100; i++) {
      const s = sample(5000 + i);
      real.set(encoders.b.run(s.b)['feature']!, i * 5);
      hat.set(a.apply(encoders.a.run(s.a)['feature']!), i * 5);
    }
    expect(rSquared(hat, real, 5)).toBeGreaterThan(0.9);
  });

  it('refuses plans it cannot run, with typed errors', async () => {
    const p = await fitted();
    const { rt } = await build([p]);
    const s = sample(3);
    expect(tagOf(thrown(() => rt.run(s, { skip: ['a', 'b'] })))).toBe('InvalidArgument');
    expect(tagOf(thrown(() => rt.run(s, { skip: ['c'] })))).toBe('InvalidArgument');
    expect(tagOf(thrown(() => rt.run(s, { skip: ['a'] })))).toBe('Unsupported'); // no projection b → a
    expect(tagOf(thrown(() => rt.run({ b: s.b })))).toBe('InvalidArgument'); // a is kept but has no input
    expect(rt.canSkip(['b'])).toBe(true);
    expect(rt.canSkip(['a'])).toBe(false);
  });

  it('refuses a head whose input does not match the features', async () => {
    const kernels = await loadKernels();
    const encoders = { a: await loadModel(denseModelBytes(encA, 10, 6, 'feature'), { kernels }) };
    const head = await loadModel(denseModelBytes(headW, 11, 2, 'output'), { kernels });
    const e = thrown(() => createModalityRuntime({ kernels, order: ['a'], encoders, head, alignments: [] }));
    expect(tagOf(e)).toBe('InvalidConfig');
    expect((e as Error).message).toMatch(/takes 11 floats but the features of a are 6/);
  });
});
