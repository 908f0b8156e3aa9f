/** tfjs-core has no stop-gradient op: the identity with a zero gradient, via customGrad. */
import * as tf from '@tensorflow/tfjs-core';

const sg = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor) };
});

/** `stopGradient(x)` has x's value; no gradient flows back through it. */
export const stopGradient = <T extends tf.Tensor>(x: T): T => sg(x) as T;
