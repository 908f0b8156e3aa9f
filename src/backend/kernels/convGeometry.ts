/** Geometry shared by the convolution gradients: tfjs's conv info and the paddings it implies. */
import * as tf from '@tensorflow/tfjs-core';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Pair = [number, number];

/** Conv info of a forward convolution `x ⊛ filter` (NHWC). */
export const convInfo = (
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: number | Pair,
  dilations: number | Pair,
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo =>
  tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    depthwise,
    'channelsLast',
  );

/**
 * Pads x (NHWC) so that every window of the forward conv lies inside it: rows start at `top`
 * and the last window ends at (out−1)·stride + effective kernel.
 */
export const padForWindows = (x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, value = 0): tf.Tensor4D => {
  const { top, left } = info.padInfo;
  const needH = (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight;
  const needW = (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth;
  const bottom = Math.max(0, needH - top - info.inHeight);
  const right = Math.max(0, needW - left - info.inWidth);
  return top || left || bottom || right
    ? tf.pad(
        x,
        [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        value,
      )
    : x;
};

/** The input rows/cols seen by kernel tap (kh, kw) across all outputs: [B, outH, outW, C]. */
export const tapSlice = (xp: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, kh: number, kw: number): tf.Tensor4D => {
  const r0 = kh * info.dilationHeight;
  const c0 = kw * info.dilationWidth;
  const [b, , , c] = xp.shape;
  return tf.stridedSlice(
    xp,
    [0, r0, c0, 0],
    [b, r0 + (info.outHeight - 1) * info.strideHeight + 1, c0 + (info.outWidth - 1) * info.strideWidth + 1, c],
    [1, info.strideHeight, info.strideWidth, 1],
  ) as tf.Tensor4D;
};

/**
 * Inserts stride−1 zeros after every row and column of dy: [B, H·s, W·s, C]. The last s−1 rows
 * and columns are zeros too (callers that need (H−1)s+1 rows count them as padding).
 */
export const zeroStuff = (dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D => {
  if (sh === 1 && sw === 1) return dy;
  const [b, h, w, c] = dy.shape;
  const expanded = tf.reshape(dy, [b, h, 1, w, 1, c]);
  const padded = tf.pad(expanded, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.reshape(padded, [b, h * sh, w * sw, c]) as tf.Tensor4D;
};

/**
 * A 'valid' convolution of x after padding (positive amounts) or cropping (negative amounts) its
 * spatial dims, with the padding handed to the convolution itself (no padded copy of x) and only
 * the crop done as a slice.
 */
export const convPadded = (
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  amounts: { top: number; bottom: number; left: number; right: number },
  dilations: [number, number] = [1, 1],
): tf.Tensor4D => {
  const { top, bottom, left, right } = amounts;
  const cropped =
    top < 0 || bottom < 0 || left < 0 || right < 0
      ? padOrCrop(x, Math.min(0, top), Math.min(0, bottom), Math.min(0, left), Math.min(0, right))
      : x;
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ];
  return tf.conv2d(cropped, filter, 1, pad, 'NHWC', dilations);
};

/** Pads (positive amounts) or crops (negative amounts) the spatial dims of an NHWC tensor. */
export const padOrCrop = (x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D => {
  const padded = tf.pad(x, [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ]);
  const [b, h, w, c] = padded.shape;
  const ct = Math.max(0, -top);
  const cl = Math.max(0, -left);
  const cb = Math.max(0, -bottom);
  const cr = Math.max(0, -right);
  return ct || cl || cb || cr ? tf.slice(padded, [0, ct, cl, 0], [b, h - ct - cb, w - cl - cr, c]) : padded;
};
