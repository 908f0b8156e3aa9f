/** Raw exports of the calibration / per-channel quantization family (assembly/calibration.ts). */
export interface CalibrationExports {}

/** Names the calibration family requires of every build. */
export const CALIBRATION_EXPORTS: readonly (keyof CalibrationExports)[] = [];
