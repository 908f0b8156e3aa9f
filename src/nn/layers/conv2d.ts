/** 2-D convolution (NHWC) → batch norm or bias → activation. Weights [k, k, Cin, Cout]. */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import { heNormal } from '../initializers.js';
import type { Conv2dSpec } from '../layerSpec.js';
import { convOutSize } from '../../core/shape.js';
import type { LayerImpl } from './layerImpl.js';
import { initNormalization, normalizeAndActivate } from './normalizedConv.js';

export const conv2dLayer: LayerImpl<Conv2dSpec> = {
  init(spec, inShape, rng) {
    if (inShape.length !== 3)
      throw kapriError('InvalidShape', `conv2d '${spec.name}' needs an [H, W, C] input, got [${inShape.join(', ')}]`);
    const [h, w, c] = inShape as [number, number, number];
    const { kernel: k, filters } = spec;
    const s = spec.stride ?? 1;
    const pad = spec.padding ?? 'same';
    const outShape = [convOutSize(h, k, s, pad), convOutSize(w, k, s, pad), filters];
    if (outShape[0]! < 1 || outShape[1]! < 1)
      throw kapriError('InvalidShape', `conv2d '${spec.name}': a ${k}×${k} window does not fit ${h}×${w}`);
    const norm = initNormalization(filters, spec.batchNorm ?? false);
    return { params: { w: heNormal(rng, [k, k, c, filters], k * k * c), ...norm.params }, state: norm.state, outShape };
  },
  apply(spec, params, state, x, ctx) {
    const y = tf.conv2d(
      x as tf.Tensor4D,
      params['w'] as tf.Variable as tf.Tensor4D,
      spec.stride ?? 1,
      spec.padding ?? 'same',
    );
    return normalizeAndActivate(y, params, state, spec.activation, ctx);
  },
};
