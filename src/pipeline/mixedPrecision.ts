/**
 * The mixed 8/4-bit choice for a trained model: each weight tensor's sensitivity is
 * trace(F)·‖Q(W) − W‖² (HAWQ-v2 with the diagonal Fisher, docs/methods.md §3), and int4 goes to the layers
 * whose sensitivity per byte saved is smallest until the weights fit `bytesRatio` of their int8 size.
 */
import * as tf from '@tensorflow/tfjs-core';
import { chooseMixedPrecision } from '../compress/sensitivity.js';
import { quantizationError, quantizeWeights } from '../compress/weightQuant.js';
import { flattenParams } from '../nn/paramTree.js';
import type { Model } from '../nn/model.js';
import type { Labels, Modality } from '../data/dataset.js';
import type { TaskSpec } from './taskSpec.js';
import { labelRows, rows } from './tensorBatches.js';

/** Labelled batches of the model's input, by index. */
export type FisherBatches = (k: number) => { x: tf.Tensor; y: tf.Tensor };

/** Batches of 32 (fewer when there are fewer samples) cycling through `n` labelled samples in order. */
export const cyclingBatches =
  (m: Modality, labels: Labels, n: number, labelScale: number): FisherBatches =>
  (k) => {
    const idx = Array.from({ length: Math.min(32, n) }, (_, j) => (k * 32 + j) % n);
    return { x: rows(m, idx), y: labelRows(labels, idx, labelScale) };
  };

/** Trace of the diagonal Fisher per weight tensor, from squared gradients of the task loss over `n` batches. */
export const fisherTraces = (model: Model, batches: FisherBatches, task: TaskSpec, n: number): Map<string, number> => {
  const weights = flattenParams(model.params).filter(([p]) => p.endsWith('/w') || p === 'shortcut');
  const traces = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const { x, y } = batches(k);
    const { value, grads } = tf.variableGrads(
      () => task.taskLoss(model.forward([x], { training: false }).output, y),
      weights.map(([, v]) => v),
    );
    for (const [p, v] of weights)
      traces.set(p, (traces.get(p) ?? 0) + tf.tidy(() => tf.sum(tf.square(grads[v.name]!)).dataSync()[0]!) / n);
    tf.dispose([value, x, y, ...Object.values(grads)]);
  }
  return traces;
};

/**
 * The layers (exporter names, e.g. `encoder0/res2/a`) to store in int4. `include` limits the choice
 * (e.g. to the encoder when only the encoder is exported); depthwise layers stay int8 in the runtime.
 */
export const chooseInt4Layers = (
  model: Model,
  batches: FisherBatches,
  task: TaskSpec,
  bytesRatio: number,
  include: (layer: string) => boolean = () => true,
): string[] => {
  const traces = fisherTraces(model, batches, task, 4);
  const layers = flattenParams(model.params)
    .filter(([p]) => traces.has(p))
    .map(([p, v]) => {
      const w = v.dataSync() as Float32Array;
      const cout = v.shape[v.shape.length - 1]!;
      // Parameter paths say res/body/a; the exporter names that layer res/a.
      return {
        name: p.replace(/\/w$/, '').replace('/body/', '/'),
        params: w.length,
        fisherTrace: traces.get(p)!,
        errorInt8: quantizationError(w, quantizeWeights(w, cout, 8)),
        errorInt4: quantizationError(w, quantizeWeights(w, cout, 4)),
      };
    })
    .filter((l) => !l.name.includes('depthwise') && include(l.name));
  const weightBytes8 = layers.reduce((a, l) => a + l.params, 0);
  const bits = chooseMixedPrecision(layers, Math.floor(weightBytes8 * bytesRatio));
  return Object.entries(bits)
    .filter(([, b]) => b === 4)
    .map(([n]) => n);
};
