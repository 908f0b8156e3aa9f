import { describe, expect, it } from 'vitest';
import { chooseBuild, detectCapabilities, type Capabilities } from '../../src/kernels/capabilities.js';
import { capabilities } from '../../src/kernels/loader.js';

const base: Capabilities = {
  environment: 'node',
  simd: true,
  relaxedSimd: { madd: true, dotI8I7: true, dotI8I7Add: false, flagSet: false },
  threads: {
    sharedArrayBuffer: true,
    crossOriginIsolated: null,
    atomics: true,
    workers: 'worker_threads',
    available: true,
  },
  hardwareConcurrency: 2,
};

describe('capabilities', () => {
  it('detects baseline SIMD and wasm atomics in Node', async () => {
    const c = await detectCapabilities();
    expect(c.environment).toBe('node');
    expect(c.simd).toBe(true);
    expect(c.threads.atomics).toBe(true);
    expect(c.threads.crossOriginIsolated).toBeNull();
  });

  it('finds relaxed SIMD in Node (behind a V8 flag it sets before Node 22) with the accumulate-dot broken on Node 20', async () => {
    const c = await detectCapabilities();
    const major = Number(process.versions.node.split('.')[0]);
    expect(c.relaxedSimd.flagSet).toBe(major < 22);
    expect(c.relaxedSimd.madd).toBe(true);
    expect(c.relaxedSimd.dotI8I7).toBe(true);
    if (major === 20) expect(c.relaxedSimd.dotI8I7Add).toBe(false);
  });

  it('reports which build the default module runs', async () => {
    const c = await capabilities();
    expect(['simd', 'relaxed']).toContain(c.build);
  });

  it('chooses nothing without SIMD', () => {
    expect(chooseBuild({ ...base, simd: false }, false)).toBeNull();
  });

  it('chooses relaxed only when madd and the i8·i7 dot both answer right', () => {
    expect(chooseBuild(base, false)).toBe('relaxed');
    expect(chooseBuild({ ...base, relaxedSimd: { ...base.relaxedSimd, dotI8I7: false } }, false)).toBe('simd');
  });

  it('chooses threads only when asked for and available', () => {
    expect(chooseBuild(base, true)).toBe('threads');
    expect(chooseBuild({ ...base, threads: { ...base.threads, available: false } }, true)).toBe('relaxed');
  });
});
