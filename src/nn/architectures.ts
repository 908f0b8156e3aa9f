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

const convBn = (name: string, filters: number, stride = 1): LayerSpec => ({
  kind: 'conv2d',
  name,
  filters,
  kernel: 3,
  stride,
  batchNorm: true,
  activation: 'relu',
});

/**
 * A convnet on [H, W, C] images → a feature vector of 4·width. Width 16 on 3×32×32 RGB has ~120k
 * parameters (the default student); the depth teacher uses a wider one.
 */
export const imageEncoderSpec = (options: {
  width: number;
  inputShape: readonly [number, number, number];
  name?: string;
}): NetworkSpec => {
  const w = options.width;
  checkWidth(w);
  return {
    name: options.name ?? `imageEncoder${w}`,
    inputShape: options.inputShape,
    layers: [
      convBn('stem', w),
      convBn('down1', 2 * w, 2),
      {
        kind: 'residual',
        name: 'res1',
        body: [convBn('a', 2 * w), { kind: 'conv2d', name: 'b', filters: 2 * w, kernel: 3, batchNorm: true }],
        activation: 'relu',
      },
      convBn('down2', 4 * w, 2),
      {
        kind: 'residual',
        name: 'res2',
        body: [convBn('a', 4 * w), { kind: 'conv2d', name: 'b', filters: 4 * w, kernel: 3, batchNorm: true }],
        activation: 'relu',
      },
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
 * A temporal encoder on [L, C] signals → a 4·width feature: a strided conv1d stem (kernel `stemKernel`,
 * stride `stemStride`, as EmotionKD's), then two strided conv blocks and global average pooling.
 */
export const temporalEncoderSpec = (options: {
  width: number;
  length: number;
  channels: number;
  stemKernel?: number;
  stemStride?: number;
  name?: string;
}): NetworkSpec => {
  const w = options.width;
  checkWidth(w);
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
      { kind: 'conv1d', name: 'block1', filters: 2 * w, kernel: 7, stride: 2, batchNorm: true, activation: 'relu' },
      { kind: 'conv1d', name: 'block2', filters: 4 * w, kernel: 5, stride: 2, batchNorm: true, activation: 'relu' },
      { kind: 'globalAvgPool' },
    ],
  };
};
