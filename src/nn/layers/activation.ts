import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../layerSpec.js';

/** Applies a fusable activation (the kernels fuse relu/relu6 as clamps). */
export const activate = <T extends tf.Tensor>(x: T, a: Activation | undefined): T =>
  a === 'relu' ? tf.relu(x) : a === 'relu6' ? tf.relu6(x) : x;
