/**
 * The hands student as the end-to-end bench runs it: the `default` preset's student architecture on
 * 32×32×3 images with 63 keypoint outputs (what `kapri run` exports to model.kapri), its weights at
 * their seeded initialisation, exported by kapri's own export (batch norm folded, activations
 * calibrated on hands images, per-channel int8 weights). Training does not change what an inference
 * computes or costs — the same ops on the same shapes — so the bench skips the minutes of a run;
 * the trained student of a quick run is what test/onnx checks bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../src/backend/initTraining.js';
import { exportQModel } from '../src/compress/exportQModel.js';
import { createRng } from '../src/core/rng.js';
import { unwrap } from '../src/core/errors.js';
import { modelFor } from '../src/pipeline/models.js';
import { PRESETS } from '../src/pipeline/presets.js';
import { decodeQModel } from '../src/runtime/qmodelFile.js';
import type { QModel } from '../src/runtime/qmodelTypes.js';
import { generateHands } from '../src/scenarios/hands/hands.js';

/** The hands student's image side. */
export const HANDS_INPUT: readonly [number, number, number] = [32, 32, 3];

/** The hands student QModel of seed `seed`, calibrated on `calibrationSamples` hands images. */
export const handsStudentQModel = async (seed = 1, calibrationSamples = 64): Promise<QModel> => {
  await initTraining({ backend: 'wasm' });
  const data = generateHands({
    seed,
    sourceTrain: calibrationSamples,
    sourceVal: 1,
    sourceTest: 1,
    targetTrain: 1,
    targetVal: 1,
    targetTest: 1,
  });
  const weak = data.source.train.weak;
  const model = modelFor('student', HANDS_INPUT, PRESETS.default.student, 63, createRng(seed));
  const calibration = tf.tensor(weak.data, [data.source.train.n, ...weak.shape]);
  try {
    const bytes = exportQModel(model, calibration, { meta: { note: 'seeded weights, calibrated on hands images' } });
    return unwrap(decodeQModel(bytes));
  } finally {
    calibration.dispose();
    model.dispose();
  }
};
