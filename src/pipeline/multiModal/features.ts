/** The encoders' float features, the inputs of the alignments and of the fused head. */
import type { Modality, PairedSource } from '../../data/dataset.js';
import type { Model } from '../../nn/model.js';
import { predictAll } from '../tensorBatches.js';
import type { PerSlot } from './types.js';

/** Float features of one encoder over a modality, [n × dim] row-major. */
export const featuresOf = (model: Model, m: Modality, n: number): Float32Array =>
  predictAll(m, n, (x) => model.encoders[0]!.apply(x, { training: false }));

/** Each slot's encoder over its own modality of a paired split. */
export const pairedFeatures = (encoders: PerSlot<Model>, d: PairedSource): PerSlot<Float32Array> => ({
  superior: featuresOf(encoders.superior, d.superior, d.n),
  weak: featuresOf(encoders.weak, d.weak, d.n),
});
