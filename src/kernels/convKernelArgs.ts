/**
 * The trailing arguments every conv kernel of the family takes after its pointers and padded
 * image size (assembly/qs8_conv.ts, assembly/qs8_conv_i7.ts): window, stride, dilation, output
 * size, channels and the requantization's output zero point and clamps.
 */
import type { ConvGeometry } from './convGeometry.js';

/** `[kh, kw, sh, sw, dh, dw, oh, ow, cout, zpOut, lo, hi]` of a conv spec. */
export const convKernelArgs = (
  s: ConvGeometry & { readonly cout: number; readonly yZeroPoint: number; readonly clamp?: readonly [number, number] },
  oh: number,
  ow: number,
): number[] => {
  const [lo, hi] = s.clamp ?? [-128, 127];
  return [
    s.kernel[0],
    s.kernel[1],
    s.stride[0],
    s.stride[1],
    s.dilation[0],
    s.dilation[1],
    oh,
    ow,
    s.cout,
    s.yZeroPoint,
    lo,
    hi,
  ];
};
