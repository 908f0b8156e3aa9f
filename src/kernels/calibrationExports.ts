/** Raw exports of the calibration / per-channel quantization family (assembly/calibration.ts). */
export interface CalibrationExports {
  /** out[0] = min, out[1] = max (f32) of the n floats at x; NaN ignored; (+Inf, −Inf) when none. */
  f32_minmax(x: number, n: number, out: number): void;
  /** counts (u32[bins]) += histogram of the n floats at x over [lo, hi); ends clamped, NaN skipped. */
  f32_histogram(x: number, n: number, lo: number, hi: number, bins: number, counts: number): void;
  /** y (i8) = per-channel quantize of x[rows × channels] (f32) with scales (f32[channels]), zps (i32[channels]). */
  qs8_quantize_f32_per_channel(x: number, y: number, rows: number, channels: number, scales: number, zps: number): void;
  /** q (i8 in [−127, 127]) = symmetric per-channel quantize of w[rows × channels] (f32) with scales (f32[channels]). */
  qs8_quantize_weights_per_channel(w: number, q: number, rows: number, channels: number, scales: number): void;
  /** y (f32) = per-channel dequantize of q[rows × channels] (i8) with scales (f32[channels]), zps (i32[channels]). */
  qs8_dequantize_s8_per_channel(
    q: number,
    y: number,
    rows: number,
    channels: number,
    scales: number,
    zps: number,
  ): void;
}
