/** The geometry of an NHWC convolution or pooling window, and what follows from it. */
import { convOutSize, padSplit } from '../core/shape.js';

/** Input `[n, h, w, c]`, a `kh×kw` window with stride and dilation, and 'same'/'valid' padding. */
export interface ConvGeometry {
  readonly inShape: readonly [number, number, number, number];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: 'same' | 'valid';
}

/** Output size and the padding on each side (TF's rule, on the dilated window). */
export interface ConvLayout {
  readonly oh: number;
  readonly ow: number;
  readonly pad: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };
}

/** Output size and padding of a geometry. */
export const convLayout = (g: ConvGeometry): ConvLayout => {
  const [, h, w] = g.inShape;
  const kh = (g.kernel[0] - 1) * g.dilation[0] + 1;
  const kw = (g.kernel[1] - 1) * g.dilation[1] + 1;
  const [top, bottom] = padSplit(h, kh, g.stride[0], g.padding);
  const [left, right] = padSplit(w, kw, g.stride[1], g.padding);
  return {
    oh: convOutSize(h, kh, g.stride[0], g.padding),
    ow: convOutSize(w, kw, g.stride[1], g.padding),
    pad: { top, bottom, left, right },
  };
};
