/**
 * What a scenario's task needs from the pipeline: output size, task loss, label scaling and the
 * headline metric computed from predictions.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Labels } from '../data/dataset.js';
import { meanSquaredError, softmaxCrossEntropy } from '../distill/losses/taskLosses.js';
import { regressionKd, logitKd } from '../distill/losses/kdLosses.js';
import { pckCurve } from '../train/metrics/pck.js';
import { epe } from '../train/metrics/epe.js';
import { accuracy, argmaxRows, macroF1 } from '../train/metrics/classification.js';
import { mae, rmse } from '../train/metrics/regression.js';
import { sampleSize } from '../data/dataset.js';

export interface TaskSpec {
  readonly outputs: number;
  readonly labelScale: number;
  /** Whether a larger metric is better (AUC, accuracy) or worse (an error). */
  readonly higherIsBetter: boolean;
  readonly taskLoss: (out: tf.Tensor2D, label: tf.Tensor) => tf.Scalar;
  readonly kdLoss: (student: tf.Tensor2D, teacher: tf.Tensor2D) => tf.Scalar;
  /** The headline metric of predictions against labels (predictions in model units). */
  readonly metric: (pred: Float32Array, labels: Labels) => number;
  /** Every metric worth reporting. */
  readonly details: (pred: Float32Array, labels: Labels) => Record<string, number>;
  /**
   * What the model's outputs mean, for the QModel's metadata (`kapri inspect`): the task, the classes
   * or the label shape and units, and the transform from an output to a label. A deployed model is
   * usable without the report.
   */
  readonly outputMeta: Readonly<Record<string, string | number>>;
}

/** Whether metric value `a` is better than `b` for a task whose metric is higher- or lower-is-better. */
export const isBetter = (a: number, b: number, higherIsBetter: boolean): boolean => (higherIsBetter ? a > b : a < b);

/** Keypoint regression scored by the AUC of 3D PCK over 20–50 mm. */
export const keypointTask = (labels: Labels, mmPerUnit = 100): TaskSpec => {
  const outputs = labels.kind === 'regression' ? sampleSize(labels.shape) : 0;
  const toMm = (p: Float32Array) => p.map((v) => v * mmPerUnit);
  return {
    outputs,
    labelScale: 1 / mmPerUnit,
    higherIsBetter: true,
    taskLoss: meanSquaredError,
    kdLoss: regressionKd,
    metric: (pred, l) => pckCurve(toMm(pred), l.data as Float32Array).auc,
    details: (pred, l) => {
      const e = epe(toMm(pred), l.data as Float32Array);
      return { auc: pckCurve(toMm(pred), l.data as Float32Array).auc, epeMean: e.mean, epeMedian: e.median };
    },
    outputMeta: {
      task: 'keypoints',
      outputs,
      labelShape: labels.kind === 'regression' ? `[${labels.shape.join(', ')}]` : '',
      units: 'mm',
      labelTransform: `label = output × ${mmPerUnit} (x, y, z in mm per keypoint)`,
      labelScale: 1 / mmPerUnit,
    },
  };
};

/**
 * Generic regression scored by the mean absolute error (RMSE reported too), in label units. The model
 * predicts `label × scale` (a scale that brings the labels near unit size, chosen from the source's
 * training labels), so training sees well-scaled targets and the metrics undo it.
 *
 * @example
 * regressionTask([2], 0.01) // outputs 2; a model output 1.5 means the label 150
 */
export const regressionTask = (labelShape: readonly number[], scale: number): TaskSpec => {
  const outputs = sampleSize(labelShape);
  const toLabels = (p: Float32Array) => p.map((v) => v / scale);
  return {
    outputs,
    labelScale: scale,
    higherIsBetter: false,
    taskLoss: meanSquaredError,
    kdLoss: regressionKd,
    metric: (pred, l) => mae(toLabels(pred), l.data as Float32Array),
    details: (pred, l) => ({
      mae: mae(toLabels(pred), l.data as Float32Array),
      rmse: rmse(toLabels(pred), l.data as Float32Array),
    }),
    outputMeta: {
      task: 'regression',
      outputs,
      labelShape: `[${labelShape.join(', ')}]`,
      labelTransform: `label = output / ${scale}`,
      labelScale: scale,
    },
  };
};

/** Classification scored by accuracy (macro-F1 reported too). */
export const classTask = (classes: number, temperature = 4): TaskSpec => ({
  outputs: classes,
  labelScale: 1,
  higherIsBetter: true,
  taskLoss: softmaxCrossEntropy,
  kdLoss: (s, t) => logitKd(s, t, temperature),
  metric: (pred, l) => accuracy(argmaxRows(pred, classes), l.data as Int32Array, classes),
  details: (pred, l) => ({
    accuracy: accuracy(argmaxRows(pred, classes), l.data as Int32Array, classes),
    macroF1: macroF1(argmaxRows(pred, classes), l.data as Int32Array, classes),
  }),
  outputMeta: {
    task: 'classification',
    outputs: classes,
    classes,
    labelTransform: `class = argmax of the ${classes} outputs (logits of classes 0..${classes - 1})`,
  },
});
