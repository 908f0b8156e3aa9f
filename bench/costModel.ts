/**
 * The kernel cost model against measurement: fitted on its own calibration shapes, it predicts the
 * int8 bench shapes, which are then measured the same way (one thread, the same kernel build).
 */
import { loadKernels } from '../src/kernels/loader.js';
import { calibrateKernelCost, measureKernelMs } from '../src/resource/kernelCostModel.js';
import type { BenchOptions } from './benchCase.js';
import { INT8_SHAPES, kernelKind } from './kernelsInt8.js';

/** One bench shape: predicted and measured milliseconds. */
export interface CostCheck {
  readonly op: string;
  readonly shape: string;
  readonly predictedMs: number;
  readonly measuredMs: number;
  /** (predicted − measured) / measured, in percent. */
  readonly errorPct: number;
}

/** Calibrates on this machine and checks the bench shapes. */
export const benchCostModel = async (opts: BenchOptions): Promise<{ checks: CostCheck[]; maxAbsErrorPct: number }> => {
  const k = await loadKernels({ build: 'simd' });
  opts.log('cost model: calibrating');
  const model = await calibrateKernelCost(k);
  const checks = INT8_SHAPES.map((s): CostCheck => {
    opts.log(`cost model: ${s.op} ${s.label}`);
    const kind = kernelKind(s);
    const predictedMs = model.predictMs(s.geometry, s.cout, kind);
    const measuredMs = measureKernelMs(k, s.geometry, s.cout, kind);
    return {
      op: s.op,
      shape: s.label,
      predictedMs,
      measuredMs,
      errorPct: (100 * (predictedMs - measuredMs)) / measuredMs,
    };
  });
  return { checks, maxAbsErrorPct: Math.max(...checks.map((c) => Math.abs(c.errorPct))) };
};
