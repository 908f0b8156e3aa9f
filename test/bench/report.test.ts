/** The bench table marks its ratios when the run is not valid, and says why. */
import { describe, expect, it } from 'vitest';
import { formatBench, type BenchReport } from '../../bench/report.js';
import type { HostWake } from '../../bench/hostWake.js';
import { benchValidity } from '../../bench/validity.js';

const report = (cases: BenchReport['cases'], hostWake: HostWake | null = null): BenchReport => {
  const roofline = {
    int8Gops: 80,
    f32Gflops: 30,
    int8Variants: [{ label: '8 accumulators', gops: 80 }],
    int8Runs: [80, 79],
    int8RelaxedGops: null,
    int8RelaxedVariants: [],
  };
  return {
    version: 1,
    date: '2026-01-01T00:00:00.000Z',
    machine: { node: '20', platform: 'linux-x64', cores: 2, build: 'simd' },
    quick: true,
    threads: 2,
    cases,
    roofline,
    summary: {
      conv2dInt8VsTfjsF32: 3,
      conv2dInt8VsTfjsF32OneThread: 2,
      conv2dInt8VsTfjsF32Pooled: 3,
      rooflineFraction: 1.2,
      threadScaling: 1.5,
      threadScalingIdleGap: null,
      modelThreadScaling: null,
      modelThreadScalingIdleGap: 0.9,
      modelThreadScalingOrtNode: 1.5,
      modelThreadScalingIdleGapOrtNode: 0.95,
      projectionF32VsTfjs: 1.4,
      trainStepWasmVsCpu: 40,
      relaxedVsBaseline: null,
      modelVsOrtWeb: 12,
      modelVsOrtWebOneThread: 10,
      modelVsOrtWebPooled: 12,
      modelVsOrtNode: 2.5,
      modelVsOrtNodeOneThread: 2,
      modelVsOrtNodePooled: 2.5,
      validity: benchValidity({ cases, roofline, int8RooflineRuns: roofline.int8Runs, hostWake }),
    },
    science: { studentStepWasmVsCpu: 1, priorLearningVsCmkd: 1, gauss: [], costModel: [] },
    notes: [],
  };
};

describe('bench table', () => {
  it('prints the ratios plainly when the run is valid', () => {
    const text = formatBench(report([{ op: 'qs8_gemm', shape: 's', impl: 'kapri-int8-1t', msMedian: 1, gops: 70 }]));
    expect(text).not.toMatch(/NOT VALID|not valid/);
    expect(text).toMatch(/conv2dInt8VsTfjsF32OneThread\s+2\.00\n/);
  });

  it('says why a run is not valid and marks every measured ratio', () => {
    const text = formatBench(report([{ op: 'qs8_gemm', shape: 's', impl: 'kapri-int8-1t', msMedian: 1, gops: 95 }]));
    expect(text).toMatch(/NOT VALID/);
    expect(text).toMatch(/measurement fault: qs8_gemm s kapri-int8-1t: 95\.0 is above its roofline/);
    expect(text).toMatch(/rooflineFraction\s+1\.20 {2}\(not valid\)/);
    // a ratio the run did not measure stays n/a, unmarked
    expect(text).toMatch(/threadScalingIdleGap\s+n\/a\n/);
  });

  it('marks the idle-gap ratios, and only those, when the host gave the second thread late', () => {
    const late = { loopMs: 0.5, pairMs: 0.51, pairIdleMs: 1.3, idleGapMs: 60, packing: null };
    const text = formatBench(
      report([{ op: 'qs8_gemm', shape: 's', impl: 'kapri-int8-1t', msMedian: 1, gops: 70 }], late),
    );
    expect(text).not.toMatch(/NOT VALID/);
    expect(text).toMatch(/idle-gap ratios: after a 60 ms idle, .* took 1\.30 ms \(back to back 0\.51 ms\)/);
    expect(text).toMatch(/modelThreadScalingIdleGap\s+0\.90 {2}\(host wake-up\)\n/);
    expect(text).toMatch(/modelThreadScalingIdleGapOrtNode\s+0\.95 {2}\(host wake-up\)\n/);
    expect(text).toMatch(/modelThreadScalingOrtNode\s+1\.50\n/);
  });
});
