/** The end-to-end ratios against onnxruntime, from synthetic rows: geometric means, thread counts, gaps. */
import { describe, expect, it } from 'vitest';
import type { BenchCase } from '../../bench/benchCase.js';
import { kapriImpl, MODEL_OP, modelVsOrt, modelVsOrtSummary, ortImpl } from '../../bench/modelVsOrt.js';

const row = (shape: string, impl: string, ms: number): BenchCase => ({
  op: MODEL_OP,
  shape,
  impl,
  msMedian: ms,
  gops: 1,
});

const IMPLS = [
  kapriImpl(1),
  kapriImpl(2),
  ortImpl('onnxruntime-web', 1),
  ortImpl('onnxruntime-web', 2),
  ortImpl('onnxruntime-node', 1),
  ortImpl('onnxruntime-node', 2),
];
/** Two models' ms in the order of IMPLS: onnxruntime-web 4× and 9× kapri on one thread, onnxruntime-node 2× and 0.5×. */
const MS: Record<string, number[]> = { a: [1, 0.5, 4, 3, 2, 1], b: [2, 1, 18, 12, 1, 0.5] };
const rows: BenchCase[] = [
  ...Object.entries(MS).flatMap(([shape, ms]) => ms.map((x, i) => row(shape, IMPLS[i]!, x))),
  // rows of other ops never count
  { op: 'qs8_gemm', shape: 'a', impl: ortImpl('onnxruntime-web', 1), msMedian: 1000, gops: 1 },
];

describe('modelVsOrt', () => {
  it('is the geometric mean over the models of onnxruntime ms / kapri ms at the same thread count', () => {
    expect(modelVsOrt(rows, 'onnxruntime-web', 1)).toBeCloseTo(Math.sqrt(4 * 9), 12);
    expect(modelVsOrt(rows, 'onnxruntime-web', 2)).toBeCloseTo(Math.sqrt(6 * 12), 12);
    expect(modelVsOrt(rows, 'onnxruntime-node', 1)).toBeCloseTo(Math.sqrt(2 * 0.5), 12);
    expect(modelVsOrt(rows, 'onnxruntime-node', 2)).toBeCloseTo(Math.sqrt(2 * 0.5), 12);
  });

  it('is null when a model lacks either row, or when no model ran', () => {
    const missing = rows.filter((c) => !(c.shape === 'b' && c.impl === ortImpl('onnxruntime-node', 2)));
    expect(modelVsOrt(missing, 'onnxruntime-node', 2)).toBeNull();
    expect(modelVsOrt(missing, 'onnxruntime-node', 1)).not.toBeNull();
    expect(modelVsOrt(rows, 'onnxruntime-web', 4)).toBeNull();
    expect(modelVsOrt([], 'onnxruntime-web', 1)).toBeNull();
  });

  it('fills the summary: headline on the pool when kapri’s pooled rows ran, else on one thread', () => {
    const s = modelVsOrtSummary(rows, 2);
    expect(Object.keys(s).sort()).toEqual(
      [
        'modelVsOrtNode',
        'modelVsOrtNodeOneThread',
        'modelVsOrtNodePooled',
        'modelVsOrtWeb',
        'modelVsOrtWebOneThread',
        'modelVsOrtWebPooled',
      ].sort(),
    );
    expect(s.modelVsOrtWeb).toBe(s.modelVsOrtWebPooled);
    expect(s.modelVsOrtWebOneThread).toBeCloseTo(6, 12);
    expect(s.modelVsOrtNode).toBe(s.modelVsOrtNodePooled);
    const one = modelVsOrtSummary(rows, 1);
    expect(one.modelVsOrtWeb).toBeCloseTo(6, 12);
    expect(one.modelVsOrtWebPooled).toBeNull();
    // --threads 2 but the threads build did not run: the one-thread ratios are the headline
    const noPool = modelVsOrtSummary(
      rows.filter((c) => c.impl !== kapriImpl(2)),
      2,
    );
    expect(noPool.modelVsOrtNode).toBeCloseTo(1, 12);
    expect(noPool.modelVsOrtNodePooled).toBeNull();
  });
});
