/** 1-D convolution over [B, L, C] signals → batch norm or bias → activation. Weights [k, Cin, Cout]. */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { heNormal } from '../initializers.js';
import type { Conv1dSpec } from '../layerSpec.js';
import { convOutSize } from '../../core/shape.js';
import type { LayerImpl } from './layerImpl.js';
import { initNormalization, normalizeAndActivate } from './normalizedConv.js';

export const conv1dLayer: LayerImpl<Conv1dSpec> = {
  init(spec, inShape, rng) {
    if (inShape.length !== 2)
      throw kapriError('InvalidShape', `conv1d '${spec.name}' needs an [L, C] input, got [${inShape.join(', ')}]`);
    const [l, c] = inShape as [number, number];
    const { kernel: k, filters } = spec;
    const outLen = convOutSize(l, k, spec.stride ?? 1, spec.padding ?? 'same');
    if (outLen < 1) throw kapriError('InvalidShape', `conv1d '${spec.name}': kernel ${k} does not fit length ${l}`);
    const norm = initNormalization(filters, spec.batchNorm ?? false);
    return {
      params: { w: heNormal(rng, [k, c, filters], k * c), ...norm.params },
      state: norm.state,
      outShape: [outLen, filters],
    };
  },
  apply(spec, params, state, x, ctx) {
    const y = tf.conv1d(
      x as tf.Tensor3D,
      params['w'] as tf.Variable as tf.Tensor3D,
      spec.stride ?? 1,
      spec.padding ?? 'same',
    );
    return normalizeAndActivate(y, params, state, spec.activation, ctx);
  },
};
