/** Fully connected layer on [B, D] → [B, units]. */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { constantVariable, glorotUniform, heNormal } from '../initializers.js';
import type { DenseSpec } from '../layerSpec.js';
import { activate } from './activation.js';
import type { LayerImpl } from './layerImpl.js';

export const denseLayer: LayerImpl<DenseSpec> = {
  init(spec, inShape, rng) {
    if (inShape.length !== 1)
      throw kapriError(
        'InvalidShape',
        `dense '${spec.name}' needs a flat [D] input, got [${inShape.join(', ')}]: add a flatten or globalAvgPool`,
      );
    const d = inShape[0]!;
    const w =
      spec.activation && spec.activation !== 'none'
        ? heNormal(rng, [d, spec.units], d)
        : glorotUniform(rng, [d, spec.units], d, spec.units);
    return { params: { w, b: constantVariable([spec.units], 0) }, state: {}, outShape: [spec.units] };
  },
  apply(spec, params, _state, x) {
    return activate(
      tf.add(tf.matMul(x as tf.Tensor2D, params['w'] as tf.Variable as tf.Tensor2D), params['b'] as tf.Variable),
      spec.activation,
    );
  },
};
