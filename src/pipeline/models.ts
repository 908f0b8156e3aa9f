/** The models of a run, built from the scenario's modality shapes: images get convnets, signals temporal encoders. */
import type { Rng } from '../core/rng.js';
import { kapriError } from '../core/errors.js';
import { headSpec, imageEncoderSpec, temporalEncoderSpec } from '../nn/architectures.js';
import type { NetworkSpec } from '../nn/layerSpec.js';
import { createModel, type Model } from '../nn/model.js';

/** An encoder for a per-sample shape: [H, W, C] or [L, C]. */
export const encoderFor = (shape: readonly number[], width: number, name: string): NetworkSpec => {
  if (shape.length === 3) return imageEncoderSpec({ width, inputShape: shape as [number, number, number], name });
  // Long signals get EmotionKD's strided stem; short sequences (pose frames) a small one.
  if (shape.length === 2) {
    const long = shape[0]! >= 128;
    return temporalEncoderSpec({
      width,
      length: shape[0]!,
      channels: shape[1]!,
      name,
      stemKernel: long ? 32 : 3,
      stemStride: long ? 8 : 1,
    });
  }
  // Feature vectors: a dense layer of 4·width units (the others end in 4·width features too).
  if (shape.length === 1)
    return {
      name,
      inputShape: shape,
      layers: [{ kind: 'dense', name: 'features', units: 4 * width, activation: 'relu' }],
    };
  throw kapriError(
    'Unsupported',
    `no encoder for samples of shape [${shape.join(', ')}]: expected [H, W, C] images or [L, C] signals`,
  );
};

/** A single-modality model with a hidden-layer head. */
export const modelFor = (name: string, shape: readonly number[], width: number, outputs: number, rng: Rng): Model =>
  createModel(
    name,
    [encoderFor(shape, width, `${name}-encoder`)],
    (f) => headSpec({ featureDim: f, outputs, hidden: Math.max(32, 2 * f), name: `${name}-head` }),
    rng,
  );
