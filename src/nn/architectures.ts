/**
 * The architectures kapri trains: image encoders (the RGB student, the depth teacher), heads, and
 * a temporal encoder for signals (EmotionKD's strided conv1d stem, then conv blocks). Only layers
 * the kernels can run in int8 are used.
 */
import { kapriError } from '../core/errors.js';
import type { LayerSpec, NetworkSpec } from './layerSpec.js';

const checkWidth = (width: number): void => {
  if (!Number.isInteger(width) || width < 1 || width > 256)
    throw kapriError('InvalidConfig', `encoder width must be an integer in [1, 256], got ${width}`);
};

const checkDepth = (depth: number): void => {
  if (!Number.isInteger(depth) || depth < 1 || depth > 4)
    throw kapriError('InvalidConfig', `encoder depth must be an integer in [1, 4], got ${depth}`);
};

const convBn = (name: string, filters: number, stride = 1): LayerSpec => ({
  kind: 'conv2d',
  name,
  filters,
  kernel: 3,
  stride,
  batchNorm: true,
  activation: 'relu',
});

/** Stage k of the image encoder: a strided conv to 2^k·width channels, then a residual block at that width. */
const imageStage = (k: number, w: number): LayerSpec[] => {
  const f = 2 ** k * w;
  return [
    convBn(`down${k}`, f, 2),
    {
      kind: 'residual',
      name: `res${k}`,
      body: [convBn('a', f), { kind: 'conv2d', name: 'b', filters: f, kernel: 3, batchNorm: true }],
      activation: 'relu',
    },
  ];
};

/**
 * A convnet on [H, W, C] images → a feature vector of 2^depth·width: a stem conv, then `depth` stages
 * (each halves the resolution, doubles the channels and adds a residual block), then global average
 * pooling. Width 16, depth 2 on 3×32×32 RGB has ~120k parameters (the default student); the depth
 * teacher uses a wider one.
 *
 * @example
 * imageEncoderSpec({ width: 8, depth: 3, inputShape: [64, 64, 3] }); // features of 64
 */
export const imageEncoderSpec = (options: {
  width: number;
  /** Stages after the stem, 1 to 4 (default 2). */
  depth?: number;
  inputShape: readonly [number, number, number];
  name?: string;
}): NetworkSpec => {
  const w = options.width;
  const depth = options.depth ?? 2;
  checkWidth(w);
  checkDepth(depth);
  return {
    name: options.name ?? `imageEncoder${w}`,
    inputShape: options.inputShape,
    layers: [
      convBn('stem', w),
      ...Array.from({ length: depth }, (_, i) => imageStage(i + 1, w)).flat(),
      { kind: 'globalAvgPool' },
    ],
  };
};

/** A two-layer head from a feature vector to `outputs` (e.g. 63 = 21×3 keypoints, or class logits). */
export const headSpec = (options: {
  featureDim: number;
  outputs: number;
  hidden?: number;
  name?: string;
}): NetworkSpec => ({
  name: options.name ?? 'head',
  inputShape: [options.featureDim],
  layers: [
    ...(options.hidden ? [{ kind: 'dense', name: 'hidden', units: options.hidden, activation: 'relu' } as const] : []),
    { kind: 'dense', name: 'out', units: options.outputs },
  ],
});

/**
 * A temporal encoder on [L, C] signals → a 2^depth·width feature: a strided conv1d stem (kernel
 * `stemKernel`, stride `stemStride`, as EmotionKD's), then `depth` strided conv blocks (kernel 7 for
 * the first, 5 after; each doubles the channels) and global average pooling.
 *
 * @example
 * temporalEncoderSpec({ width: 8, depth: 2, length: 1024, channels: 1 }); // features of 32
 */
export const temporalEncoderSpec = (options: {
  width: number;
  /** Conv blocks after the stem, 1 to 4 (default 2). */
  depth?: number;
  length: number;
  channels: number;
  stemKernel?: number;
  stemStride?: number;
  name?: string;
}): NetworkSpec => {
  const w = options.width;
  const depth = options.depth ?? 2;
  checkWidth(w);
  checkDepth(depth);
  return {
    name: options.name ?? `temporalEncoder${w}`,
    inputShape: [options.length, options.channels],
    layers: [
      {
        kind: 'conv1d',
        name: 'stem',
        filters: w,
        kernel: options.stemKernel ?? 32,
        stride: options.stemStride ?? 8,
        batchNorm: true,
        activation: 'relu',
      },
      ...Array.from(
        { length: depth },
        (_, i): LayerSpec => ({
          kind: 'conv1d',
          name: `block${i + 1}`,
          filters: 2 ** (i + 1) * w,
          kernel: i === 0 ? 7 : 5,
          stride: 2,
          batchNorm: true,
          activation: 'relu',
        }),
      ),
      { kind: 'globalAvgPool' },
    ],
  };
};
