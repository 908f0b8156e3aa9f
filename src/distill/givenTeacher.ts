/**
 * A teacher from any framework: its outputs (logits, or predictions in label units) and optionally its
 * features, computed elsewhere (PyTorch, JAX, …) and given per source sample. As a `Model` it reads
 * each sample's row of `outputs` values followed by `features` values (the `superior` rows a manifest
 * with `teacherOutputs` loads, src/data/manifest.ts) and returns them: it has no weights, is never
 * trained, and CMKD distils from it as from a frozen teacher. Without features, the outputs are also
 * the feature the student's projection is aligned to.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import type { Model } from '../nn/model.js';
import { createNetwork } from '../nn/network.js';

/**
 * The teacher whose outputs are given: `outputs` values per sample, times `scale` (the label transform
 * of a regression, so that they are in the student's units; 1 for logits), then `features` values.
 *
 * @example
 * const teacher = givenTeacher(10, 0);   // 10-class logits, no features
 * teacher.forward([rows], { training: false }).output;   // the logits themselves
 */
export const givenTeacher = (outputs: number, features: number, scale = 1): Model => {
  if (!Number.isInteger(outputs) || outputs < 1 || !Number.isInteger(features) || features < 0)
    throw kapriError(
      'InvalidArgument',
      `a given teacher needs ≥ 1 output and ≥ 0 features per sample, got ${outputs} and ${features}`,
    );
  if (!Number.isFinite(scale) || scale <= 0)
    throw kapriError('InvalidArgument', `a given teacher's scale must be a finite number > 0, got ${scale}`);
  const width = outputs + features;
  // No layers: the identity on a row, so that shape checks and cost code see a network of the right input.
  const rows = createNetwork({ name: 'given-teacher', inputShape: [width], layers: [] }, createRng(0));
  return {
    name: 'teacher (given outputs)',
    encoders: [rows],
    head: rows,
    variables: [],
    params: {},
    state: {},
    featureDim: features > 0 ? features : outputs,
    paramCount: 0,
    forward(inputs) {
      const x = inputs[0];
      if (inputs.length !== 1 || !x || x.rank !== 2 || x.shape[1] !== width)
        throw kapriError(
          'InvalidShape',
          `the given teacher reads rows of ${width} values (${outputs} outputs + ${features} features), got [${x?.shape.join(', ') ?? ''}]`,
        );
      return tf.tidy(() => {
        const raw = tf.slice(x, [0, 0], [-1, outputs]) as tf.Tensor2D;
        const output = (scale === 1 ? raw.clone() : tf.mul(raw, scale)) as tf.Tensor2D;
        const feature = (features > 0 ? tf.slice(x, [0, outputs], [-1, features]) : output.clone()) as tf.Tensor2D;
        return { output, feature };
      });
    },
    dispose() {
      rows.dispose();
    },
  };
};
