/** The kernels load from a URL in Chromium and agree bit for bit with the JS reference there too. */
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/loader.js';
import { detectCapabilities } from '../../src/kernels/capabilities.js';
import { dotS8, quantizeF32 } from '../../src/kernels/qs8Quantize.js';
import { refQuantizeF32 } from '../../src/kernels/reference/qs8Quantize.js';
import { refDotS8 } from '../../src/kernels/reference/qs8Dot.js';
import { createRng } from '../../src/core/rng.js';

describe('kernels in Chromium', () => {
  it('detects a browser with SIMD and the relaxed accumulate-dot computed right', async () => {
    const c = await detectCapabilities();
    expect(c.environment).toBe('browser');
    expect(c.simd).toBe(true);
    expect(c.relaxedSimd.dotI8I7Add).toBe(true);
  });

  it('runs cross-origin isolated, so the threads build is available', async () => {
    const c = await detectCapabilities();
    expect(c.threads.crossOriginIsolated).toBe(true);
    expect(c.threads.available).toBe(true);
  });

  it.each(['simd', 'relaxed', 'threads'] as const)(
    'quantizes and dots bit-exactly like the reference (%s build, fetched by URL)',
    async (build) => {
      const k = await loadKernels({ build });
      const rng = createRng(11);
      const x = Float32Array.from({ length: 1001 }, () => rng.normal() * 3);
      expect(Array.from(quantizeF32(k, x, { scale: 0.03, zeroPoint: -4 }))).toEqual(
        Array.from(refQuantizeF32(x, 0.03, -4)),
      );
      const a = Int8Array.from({ length: 999 }, () => rng.int(256) - 128);
      const b = Int8Array.from({ length: 999 }, () => rng.int(256) - 128);
      expect(dotS8(k, a, b)).toBe(refDotS8(a, b));
    },
  );

  it('names the URL when a kernel file cannot be fetched', async () => {
    await expect(loadKernels({ build: 'simd', source: new URL('/build/missing.wasm', location.href) })).rejects.toThrow(
      /missing\.wasm/,
    );
  });
});
