/** Max/average pooling (2-D or 1-D by input rank), global average pooling and flatten. */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../../core/errors.js';
import type { FlattenSpec, GlobalAvgPoolSpec, PoolSpec } from '../layerSpec.js';
import { convOutSize } from '../../core/shape.js';
import type { LayerImpl } from './layerImpl.js';

export const poolLayer: LayerImpl<PoolSpec> = {
  init(spec, inShape) {
    const s = spec.stride ?? spec.size;
    const pad = spec.padding ?? 'same';
    if (inShape.length === 3)
      return {
        params: {},
        state: {},
        outShape: [
          convOutSize(inShape[0]!, spec.size, s, pad),
          convOutSize(inShape[1]!, spec.size, s, pad),
          inShape[2]!,
        ],
      };
    if (inShape.length === 2)
      return { params: {}, state: {}, outShape: [convOutSize(inShape[0]!, spec.size, s, pad), inShape[1]!] };
    throw kapriError('InvalidShape', `${spec.kind} needs an [H, W, C] or [L, C] input, got [${inShape.join(', ')}]`);
  },
  apply(spec, _p, _s, x) {
    const s = spec.stride ?? spec.size;
    const pad = spec.padding ?? 'same';
    const pool = spec.kind === 'maxPool' ? tf.maxPool : tf.avgPool;
    if (x.rank === 4) return pool(x as tf.Tensor4D, spec.size, s, pad);
    // 1-D: pool a [B, 1, L, C] view.
    const [b, l, c] = x.shape as [number, number, number];
    const y = pool(tf.reshape(x, [b, 1, l, c]) as tf.Tensor4D, [1, spec.size], [1, s], pad);
    return tf.reshape(y, [b, y.shape[2], c]);
  },
};

export const globalAvgPoolLayer: LayerImpl<GlobalAvgPoolSpec> = {
  init(_spec, inShape) {
    if (inShape.length < 2)
      throw kapriError('InvalidShape', `globalAvgPool needs a spatial or temporal input, got [${inShape.join(', ')}]`);
    return { params: {}, state: {}, outShape: [inShape[inShape.length - 1]!] };
  },
  apply(_spec, _p, _s, x) {
    return tf.mean(
      x,
      Array.from({ length: x.rank - 2 }, (_, i) => i + 1),
    );
  },
};

export const flattenLayer: LayerImpl<FlattenSpec> = {
  init(_spec, inShape) {
    return { params: {}, state: {}, outShape: [inShape.reduce((a, b) => a * b, 1)] };
  },
  apply(_spec, _p, _s, x) {
    return tf.reshape(x, [x.shape[0]!, -1]);
  },
};
