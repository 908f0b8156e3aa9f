/**
 * Registers the int8 edge cases (./qs8EdgeCases.ts) for one build: each kernel call must give its
 * reference's codes bit for bit on one thread and on every extra runner (thread pools). Registered
 * by the Node tests for every build and by the browser tests in Chromium.
 */
import { describe, expect, it } from 'vitest';
import type { KernelBuild } from '../../../src/kernels/capabilities.js';
import type { KernelModule } from '../../../src/kernels/loader.js';
import { loadOnce, type ExtraRunners } from './qs8Suite.js';
import {
  depthwiseCases,
  depthwiseMultiplierDilationCases,
  largeAccumulatorCases,
  tieCases,
  zeroPointCases,
  type EdgeCase,
} from './qs8EdgeCases.js';

/** The kernel's codes equal the reference's, serially and on each runner; the codes are not all clamped. */
export const expectEdgeCase = (c: EdgeCase, k: KernelModule, runners: ExtraRunners): void => {
  const expected = Array.from(c.reference());
  expect(new Set(expected).size).toBeGreaterThan(Math.min(8, expected.length / 4));
  expect(Array.from(c.run(k)), `${c.name}, one thread`).toEqual(expected);
  for (const [name, r] of runners) expect(Array.from(c.run(k, r)), `${c.name}, ${name}`).toEqual(expected);
};

/** Registers the edge cases for `build`; `runners` gives extra runners over the module (made once). */
export const defineQs8EdgeSuite = (
  build: KernelBuild,
  runners: (k: KernelModule) => Promise<ExtraRunners> = async () => [],
): void => {
  describe(`int8 kernel edge cases agree with their references bit for bit (${build} build)`, () => {
    const load = loadOnce(build, runners);
    const groups: readonly [string, () => EdgeCase[]][] = [
      ['general depthwise', depthwiseCases],
      ['depthwise multiplier and dilation', depthwiseMultiplierDilationCases],
      ['extreme zero points', zeroPointCases],
      ['exact requantization ties', tieCases],
      ['accumulators in 2^24..2^30 near ties', largeAccumulatorCases],
    ];
    for (const [group, cases] of groups) {
      it.each(cases().map((c) => [c.name, c] as const))(`${group}: %s`, async (_, c) => {
        const { k, extra } = await load();
        expectEdgeCase(c, k, extra);
      });
    }
  });
};
