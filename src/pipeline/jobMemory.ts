/**
 * The memory a job (one seed) holds: the JavaScript heap of its thread's isolate plus the memory
 * outside it that the isolate owns (typed arrays and the WebAssembly memories of tfjs and the kernels).
 * On a worker thread that is the job's own; in the main thread (`--jobs 1`) it is the one isolate all
 * seeds share one after another. The process's resident size is not used: workers share it.
 */
import type { ProgressSink } from '../core/progress.js';

/** Mebibytes the calling thread's isolate holds now (`heapUsed + external`). */
export const isolateMemoryMb = (): number => {
  if (typeof process === 'undefined' || typeof process.memoryUsage !== 'function') return 0;
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 2 ** 20;
};

/** Peak tracking: `sample()` at most every `everyMs` (it is called from progress events, one per step). */
export interface PeakMemory {
  readonly sample: () => void;
  /** The highest sample so far, in MiB (one decimal). */
  readonly peakMb: () => number;
}

/** A peak tracker over `isolateMemoryMb` (or `read`, for tests), sampling now and then at most every `everyMs`. */
export const peakMemory = (everyMs = 200, read: () => number = isolateMemoryMb): PeakMemory => {
  let peak = read();
  let last = performance.now();
  return {
    sample: () => {
      const now = performance.now();
      if (now - last < everyMs) return;
      last = now;
      peak = Math.max(peak, read());
    },
    peakMb: () => Math.round(Math.max(peak, read()) * 10) / 10,
  };
};

/** `sink` sampling `memory` on each event: how a job's peak is tracked while it trains. */
export const sampledSink =
  (memory: PeakMemory, sink: ProgressSink): ProgressSink =>
  (event) => {
    memory.sample();
    sink(event);
  };

/** report.json `timings.peakMemoryMb`: each seed's peak (seed order) and the largest. */
export interface PeakMemoryReport {
  /** MiB, in seed order. */
  readonly perSeed: number[];
  /** The largest of `perSeed`. */
  readonly max: number;
}

/** The report's memory figures from the seeds' peaks. */
export const peakMemoryReport = (perSeed: readonly number[]): PeakMemoryReport => ({
  perSeed: [...perSeed],
  max: Math.max(...perSeed),
});
