/**
 * One training step of a small convnet (conv, batch norm, relu, pooling, dense, softmax
 * cross-entropy, Adam) on tfjs's wasm backend (with kapri's training kernels) and on its cpu
 * backend, measured side by side in the same process.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../src/backend/initTraining.js';
import { createRng } from '../src/core/rng.js';
import type { BenchCase, BenchOptions } from './benchCase.js';
import { measureMs } from './measure.js';

interface Net {
  vars: tf.Variable[];
  loss: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Scalar;
}

const BATCH = 16;
const SIZE = 32;
const CLASSES = 10;

const heNormal = (rng: ReturnType<typeof createRng>, shape: number[], fanIn: number): tf.Variable => {
  const n = shape.reduce((a, b) => a * b, 1);
  const s = Math.sqrt(2 / fanIn);
  return tf.variable(
    tf.tensor(
      Float32Array.from({ length: n }, () => rng.normal() * s),
      shape,
    ),
  );
};

/** conv3x3(3→16) BN relu maxpool → conv3x3(16→32) BN relu maxpool → dense(2048→10). */
const makeNet = (seed: number): Net => {
  const rng = createRng(seed);
  const w1 = heNormal(rng, [3, 3, 3, 16], 27);
  const g1 = tf.variable(tf.ones([16]));
  const b1 = tf.variable(tf.zeros([16]));
  const w2 = heNormal(rng, [3, 3, 16, 32], 144);
  const g2 = tf.variable(tf.ones([32]));
  const b2 = tf.variable(tf.zeros([32]));
  const wd = heNormal(rng, [8 * 8 * 32, CLASSES], 8 * 8 * 32);
  const bd = tf.variable(tf.zeros([CLASSES]));
  const block = (x: tf.Tensor4D, w: tf.Variable, g: tf.Variable, b: tf.Variable): tf.Tensor4D => {
    const z = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
    const { mean, variance } = tf.moments(z, [0, 1, 2]);
    const n = tf.batchNorm(z, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3);
    return tf.maxPool(tf.relu(n) as tf.Tensor4D, 2, 2, 'same');
  };
  return {
    vars: [w1, g1, b1, w2, g2, b2, wd, bd],
    loss: (x, y) => {
      const h = block(block(x, w1, g1, b1), w2, g2, b2);
      const logits = tf.add(tf.matMul(tf.reshape(h, [BATCH, 8 * 8 * 32]), wd as tf.Tensor2D), bd);
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    },
  };
};

const stepMs = async (backend: 'wasm' | 'cpu', reps: number): Promise<number> => {
  await initTraining({ backend });
  const rng = createRng(1);
  const x = tf.tensor4d(
    Float32Array.from({ length: BATCH * SIZE * SIZE * 3 }, () => rng.normal()),
    [BATCH, SIZE, SIZE, 3],
  );
  const y = tf.cast(
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: BATCH }, () => rng.int(CLASSES)),
        'int32',
      ),
      CLASSES,
    ),
    'float32',
  ) as tf.Tensor2D;
  const net = makeNet(2);
  const opt = tf.train.adam(1e-3);
  const step = (): void => {
    const l = opt.minimize(() => net.loss(x, y), true, net.vars);
    l?.dataSync();
    l?.dispose();
  };
  const ms = await measureMs(step, { warmup: 1, reps, maxMs: 20000 });
  opt.dispose();
  tf.dispose([x, y, ...net.vars]);
  return ms;
};

/** Measures the step on both backends; returns the rows and the wasm-vs-cpu speed ratio. */
export const benchTrainStep = async (
  opts: BenchOptions,
): Promise<{ cases: BenchCase[]; trainStepWasmVsCpu: number }> => {
  const shape = `${BATCH}x${SIZE}x${SIZE}x3 convnet`;
  opts.log('train step: wasm');
  const wasm = await stepMs('wasm', opts.quick ? 5 : 20);
  opts.log('train step: cpu (slow)');
  const cpu = await stepMs('cpu', opts.quick ? 3 : 5);
  await initTraining({ backend: 'wasm' });
  return {
    cases: [
      { op: 'train_step', shape, impl: 'tfjs-wasm+kapri-grads', msMedian: wasm, gops: 0 },
      { op: 'train_step', shape, impl: 'tfjs-cpu', msMedian: cpu, gops: 0 },
    ],
    trainStepWasmVsCpu: cpu / wasm,
  };
};
