/**
 * What a feature-alignment distance registers (registry.ts): d(P(h_S), h_T) on flattened rows, the
 * teacher's side already held constant by `featureAlign`, which also checks the shapes and applies
 * the weight. Each distance is one file in `distances/` and one line in the registry.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface AlignDistanceDefinition {
  /** The registry key `featureAlign` takes (e.g. 'cosine'). */
  readonly name: string;
  readonly description: string;
  /** The batch mean of the distance between rows of `student` [B, D] and `teacher` [B, D]. */
  readonly distance: (student: tf.Tensor2D, teacher: tf.Tensor2D) => tf.Scalar;
}
