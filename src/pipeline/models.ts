/** The models of a run, built from the scenario's modality shapes: images get convnets, signals temporal encoders. */
import type { Rng } from '../core/rng.js';
import { kapriError } from '../core/errors.js';
import { headSpec, imageEncoderSpec, temporalEncoderSpec } from '../nn/architectures.js';
import type { NetworkSpec } from '../nn/layerSpec.js';
import { createModel, type Model } from '../nn/model.js';

/** An encoder's size: channels of its first layer (doubled at each stage) and the number of stages. */
export interface Arch {
  readonly width: number;
  readonly depth: number;
}

/** An encoder for a per-sample shape: [H, W, C] or [L, C]. */
export const encoderFor = (shape: readonly number[], arch: Arch, name: string): NetworkSpec => {
  const { width, depth } = arch;
  if (shape.length === 3)
    return imageEncoderSpec({ width, depth, inputShape: shape as [number, number, number], name });
  // Long signals get EmotionKD's strided stem; short sequences (pose frames) a small one.
  if (shape.length === 2) {
    const long = shape[0]! >= 128;
    return temporalEncoderSpec({
      width,
      depth,
      length: shape[0]!,
      channels: shape[1]!,
      name,
      stemKernel: long ? 32 : 3,
      stemStride: long ? 8 : 1,
    });
  }
  // Feature vectors: dense layers ending in 2^depth·width units, like the other encoders' features
  // (depth 1 and 2 are one layer, each further stage adds one).
  if (shape.length === 1)
    return {
      name,
      inputShape: shape,
      layers: Array.from({ length: Math.max(1, depth - 1) }, (_, i) => ({
        kind: 'dense' as const,
        name: i === 0 ? 'features' : `features${i + 1}`,
        units: 2 ** (depth === 1 ? 1 : i + 2) * width,
        activation: 'relu' as const,
      })),
    };
  throw kapriError(
    'Unsupported',
    `no encoder for samples of shape [${shape.join(', ')}]: expected [H, W, C] images or [L, C] signals`,
  );
};

/** A single-modality model with a hidden-layer head. */
export const modelFor = (name: string, shape: readonly number[], arch: Arch, outputs: number, rng: Rng): Model =>
  createModel(
    name,
    [encoderFor(shape, arch, `${name}-encoder`)],
    (f) => headSpec({ featureDim: f, outputs, hidden: Math.max(32, 2 * f), name: `${name}-head` }),
    rng,
  );
