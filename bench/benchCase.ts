/** One measured row of the bench JSON contract (docs/contracts.md): `{op, shape, impl, msMedian, gops}`. */
export interface BenchCase {
  /** e.g. `qs8_conv2d_3x3`, `f32_gemm`, `train_step`. */
  readonly op: string;
  /** Human-readable shape, e.g. `8x32x32x32->64`. */
  readonly shape: string;
  /** e.g. `kapri-int8-1t`, `kapri-int8-2t`, `tfjs-wasm-f32`, `js-ref`, `onnxruntime-node-int8`. */
  readonly impl: string;
  readonly msMedian: number;
  /** Giga-operations per second (2 ops per multiply-accumulate); 0 when not meaningful. */
  readonly gops: number;
}

/** Options every bench section receives. */
export interface BenchOptions {
  /** Fewer repetitions and shapes: a smoke run for CI-sized time. */
  readonly quick: boolean;
  /** Threads to use for the multi-thread rows (default: all cores). */
  readonly threads: number;
  /** Progress lines go here (stderr in the CLI). */
  readonly log: (line: string) => void;
}
