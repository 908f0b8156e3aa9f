// Calibration and per-channel quantization kernels: min/max, histograms, per-channel
// quantize/dequantize. (Filled in by the calibration kernel work.)
