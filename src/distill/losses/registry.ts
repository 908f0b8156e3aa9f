/**
 * The distillation losses chosen by name: the feature-alignment distances `featureAlign` takes
 * (docs/methods.md §1). A built-in distance is its file in `distances/` and one line below; one defined
 * elsewhere is one `registerAlignDistance` call. (The output-level KD loss is not chosen by name: it
 * follows the task, logit KD for classes and regression KD for keypoints; see pipeline/taskSpec.ts.)
 */
import { createRegistry } from '../../core/registry.js';
import type { AlignDistanceDefinition } from './alignDistance.js';
import { cosineDistance } from './distances/cosine.js';
import { l2Distance } from './distances/l2.js';

export const alignDistanceRegistry = createRegistry<AlignDistanceDefinition>('alignment distance');

/**
 * Registers a feature-alignment distance under its name; a name already taken is refused (`DuplicateName`).
 *
 * @example
 * registerAlignDistance({ name: 'l1', description: 'mean |s − t|', distance: (s, t) => tf.mean(tf.abs(tf.sub(s, t))) });
 * featureAlign(projected, hT, 'l1');
 */
export const registerAlignDistance = (d: AlignDistanceDefinition): void => alignDistanceRegistry.register(d.name, d);

/** The registered alignment distances' names, in registration order. */
export const alignDistanceNames = (): readonly string[] => alignDistanceRegistry.names();

registerAlignDistance(l2Distance);
registerAlignDistance(cosineDistance);
