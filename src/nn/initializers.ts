/** Seeded weight initialisers (He-normal for relu layers, zeros, ones). */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/rng.js';

/** He-normal: N(0, 2/fanIn), from the seeded generator so that a seed fixes every weight. */
export const heNormal = (rng: Rng, shape: number[], fanIn: number): tf.Variable => {
  const n = shape.reduce((a, b) => a * b, 1);
  const s = Math.sqrt(2 / Math.max(1, fanIn));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal() * s;
  return tf.tidy(() => tf.variable(tf.tensor(data, shape), true));
};

/** Glorot-uniform, for linear outputs (heads, projections). */
export const glorotUniform = (rng: Rng, shape: number[], fanIn: number, fanOut: number): tf.Variable => {
  const n = shape.reduce((a, b) => a * b, 1);
  const lim = Math.sqrt(6 / Math.max(1, fanIn + fanOut));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (rng.uniform() * 2 - 1) * lim;
  return tf.tidy(() => tf.variable(tf.tensor(data, shape), true));
};

/** A variable filled with one value (tfjs names variables itself: names must be unique process-wide). */
export const constantVariable = (shape: number[], value: number, trainable = true): tf.Variable =>
  tf.tidy(() => tf.variable(tf.fill(shape, value), trainable));
