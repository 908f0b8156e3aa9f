/** The bench's validity verdict on synthetic rows: faults above a roofline, and a machine too loaded to measure. */
import { describe, expect, it } from 'vitest';
import type { BenchCase } from '../../bench/benchCase.js';
import { benchValidity, idleGapVerdict, MIN_SCALING_OPS } from '../../bench/validity.js';

/** A row of `gops` over `ms` (so its op count is gops · ms · 1e6). */
const row = (impl: string, ms: number, gops: number, op = 'qs8_conv2d_3x3', shape = '8x32x32x32->64'): BenchCase => ({
  op,
  shape,
  impl,
  msMedian: ms,
  gops,
});
const roofline = { int8Gops: 80, f32Gflops: 30 };
// 40 GOPS for 10 ms: 4e8 ops, a call large enough that a pool must not be slower back to back
const big = (impl: string, ms: number) => row(impl, ms, (40 * 10) / ms);

describe('bench validity', () => {
  it('passes a run with every row under its roofline and threads faster than one', () => {
    const v = benchValidity({
      cases: [big('kapri-int8-1t', 10), big('kapri-int8-2t', 6), row('kapri-f32-1t', 1, 25, 'f32_gemm', '256x512x512')],
      roofline,
      int8RooflineRuns: [80, 78],
    });
    expect(v).toEqual({ valid: true, measurementFaults: [], loaded: [], idleGap: [] });
  });

  it('flags a one-thread kernel row above the int8 roofline as a measurement fault', () => {
    const v = benchValidity({ cases: [row('kapri-int8-1t', 1, 100)], roofline });
    expect(v.valid).toBe(false);
    expect(v.measurementFaults).toHaveLength(1);
    expect(v.measurementFaults[0]).toMatch(
      /qs8_conv2d_3x3 8x32x32x32->64 kapri-int8-1t: 100\.0 is above its roofline \(1 × 80\.0 int8 GOPS\)/,
    );
    expect(v.loaded).toEqual([]);
  });

  it('bounds a relaxed row by the relaxed roofline, not the baseline one', () => {
    const relaxed = { ...roofline, int8RelaxedGops: 150 };
    const ok = benchValidity({ cases: [row('kapri-int8-relaxed-1t', 1, 120)], roofline: relaxed });
    expect(ok.measurementFaults).toEqual([]);
    const over = benchValidity({ cases: [row('kapri-int8-relaxed-1t', 1, 160)], roofline: relaxed });
    expect(over.measurementFaults[0]).toMatch(
      /kapri-int8-relaxed-1t: 160\.0 is above its roofline \(1 × 150\.0 relaxed int8 GOPS\)/,
    );
  });

  it('leaves relaxed rows unjudged where no relaxed roofline was measured', () => {
    expect(benchValidity({ cases: [row('kapri-int8-relaxed-1t', 1, 160)], roofline }).measurementFaults).toEqual([]);
  });

  it('bounds an n-thread row by n rooflines, int4 and idle-gap rows included', () => {
    const ok = benchValidity({ cases: [row('kapri-int8-2t', 1, 150), row('kapri-int4-1t-idle60ms', 1, 79)], roofline });
    expect(ok.measurementFaults).toEqual([]);
    const bad = benchValidity({
      cases: [row('kapri-int8-2t', 1, 161), row('kapri-int4-1t-idle60ms', 1, 81)],
      roofline,
    });
    expect(bad.measurementFaults).toHaveLength(2);
  });

  it('holds f32 rows to the f32 roofline, and ignores other implementations and the probes themselves', () => {
    const v = benchValidity({
      cases: [
        row('kapri-f32-1t', 1, 31, 'f32_gemm', '256x512x512'),
        row('tfjs-wasm-f32', 1, 500),
        row('onnxruntime-node-int8', 1, 500),
        row('kapri-1t', 0, 500, 'qs8_roofline', 'probe'),
      ],
      roofline,
    });
    expect(v.measurementFaults).toEqual([
      expect.stringMatching(/f32_gemm .* above its roofline \(1 × 30\.0 f32 GFLOP\/s\)/),
    ]);
  });

  it('checks nothing against a roofline that was not measured', () => {
    expect(
      benchValidity({ cases: [row('kapri-int8-1t', 1, 1e6)], roofline: { int8Gops: null, f32Gflops: null } }).valid,
    ).toBe(true);
  });

  it('flags a machine too loaded to measure when two threads are slower than one on a large call, back to back', () => {
    const v = benchValidity({ cases: [big('kapri-int8-1t', 10), big('kapri-int8-2t', 12)], roofline });
    expect(v.valid).toBe(false);
    expect(v.measurementFaults).toEqual([]);
    expect(v.loaded).toEqual([
      expect.stringMatching(/kapri-int8-2t took 12\.000 ms, more than one thread's 10\.000 ms/),
    ]);
  });

  it('does not flag two slow threads on a small call, nor after an idle gap (a real cost of waking a pool)', () => {
    const smallOps = MIN_SCALING_OPS / 2;
    const v = benchValidity({
      cases: [
        row('kapri-int8-1t', 5, smallOps / 5e6, 'qs8_conv2d_1x1', 'small'),
        row('kapri-int8-2t', 6, smallOps / 6e6, 'qs8_conv2d_1x1', 'small'),
        big('kapri-int8-1t-idle60ms', 10),
        big('kapri-int8-2t-idle60ms', 14),
      ],
      roofline,
    });
    expect(v).toEqual({ valid: true, measurementFaults: [], loaded: [], idleGap: [] });
  });

  it('pairs the thread rows by op and shape', () => {
    const v = benchValidity({
      cases: [big('kapri-int8-1t', 10), row('kapri-int8-2t', 12, 1, 'qs8_gemm', '256x512x512')],
      roofline,
    });
    expect(v.loaded).toEqual([]);
  });

  it('flags a roofline that moved by more than a quarter during the run', () => {
    expect(benchValidity({ cases: [], roofline, int8RooflineRuns: [80, 61] }).valid).toBe(true);
    const v = benchValidity({ cases: [], roofline, int8RooflineRuns: [80, 59] });
    expect(v.loaded).toEqual([expect.stringMatching(/the int8 roofline read 80\.0, 59\.0 GOPS during the run/)]);
  });

  it('says the idle-gap ratios measure the host when a woken worker and the caller took longer than one thread twice', () => {
    const wake = { loopMs: 0.5, pairMs: 0.52, pairIdleMs: 1.22, idleGapMs: 60, packing: 'sched_vcpu_pack=15' };
    const v = benchValidity({ cases: [], roofline, hostWake: wake });
    expect(v.valid).toBe(true);
    expect(v.idleGap).toEqual([
      expect.stringMatching(
        /after a 60 ms idle, .* took 1\.22 ms \(back to back 0\.52 ms\).*booted with sched_vcpu_pack=15/,
      ),
    ]);
  });

  it('leaves the idle-gap ratios alone when the host woke the second thread in time, or was not probed', () => {
    expect(idleGapVerdict({ loopMs: 0.5, pairMs: 0.51, pairIdleMs: 0.99, idleGapMs: 60, packing: null })).toEqual([]);
    expect(idleGapVerdict(null)).toEqual([]);
    expect(benchValidity({ cases: [], roofline }).idleGap).toEqual([]);
  });
});
