/** Depthwise 3×3 convolution (channel multiplier 1) → batch norm or bias → activation. */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { heNormal } from '../initializers.js';
import type { DepthwiseSpec } from '../layerSpec.js';
import { convOutSize } from '../../core/shape.js';
import type { LayerImpl } from './layerImpl.js';
import { initNormalization, normalizeAndActivate } from './normalizedConv.js';

export const depthwiseLayer: LayerImpl<DepthwiseSpec> = {
  init(spec, inShape, rng) {
    if (inShape.length !== 3)
      throw kapriError(
        'InvalidShape',
        `depthwise '${spec.name}' needs an [H, W, C] input, got [${inShape.join(', ')}]`,
      );
    const [h, w, c] = inShape as [number, number, number];
    const s = spec.stride ?? 1;
    const norm = initNormalization(c, spec.batchNorm ?? false);
    return {
      params: { w: heNormal(rng, [3, 3, c, 1], 9), ...norm.params },
      state: norm.state,
      outShape: [convOutSize(h, 3, s, 'same'), convOutSize(w, 3, s, 'same'), c],
    };
  },
  apply(spec, params, state, x, ctx) {
    const y = tf.depthwiseConv2d(x as tf.Tensor4D, params['w'] as tf.Variable as tf.Tensor4D, spec.stride ?? 1, 'same');
    return normalizeAndActivate(y, params, state, spec.activation, ctx);
  },
};
