/**
 * The relaxed int8 conv path in Chromium, whose engine computes `i32x4.relaxed_dot_i8x16_i7x16_add_s`
 * right: on the relaxed build the path can be forced (the probe passes) and every output is bit-exact
 * with the baseline contract's JS reference; an `auto` plan takes it only where it measured faster
 * (relaxedChoice.ts), which depends on the CPU. The emulated form on the simd build is checked too,
 * as in Node.
 */
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/loader.js';
import { disposeQs8Conv2d, planQs8Conv2d } from '../../src/kernels/qs8Conv.js';
import { relaxedChoice } from '../../src/kernels/relaxedChoice.js';
import { defineQs8RelaxedSuite, randomInt7Spec } from '../kernels/suites/qs8RelaxedSuite.js';

defineQs8RelaxedSuite('relaxed', 'relaxed');
defineQs8RelaxedSuite('simd', 'relaxed');

describe('choosing the relaxed path in Chromium', () => {
  it('measures the relaxed dot against the baseline once per module and plans auto by it', async () => {
    const k = await loadKernels({ build: 'relaxed' });
    const choice = relaxedChoice(k);
    expect(choice.gain).toBeGreaterThan(0);
    expect(relaxedChoice(k)).toBe(choice);
    const g = { inShape: [1, 6, 6, 8], kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' } as const;
    const plan = planQs8Conv2d(k, randomInt7Spec(g, 8, 1));
    try {
      expect(plan.path).toBe(choice.pays ? 'relaxed' : 'baseline');
    } finally {
      disposeQs8Conv2d(k, plan);
    }
  });
});
