/**
 * Compression and deployment of a trained target student on the tiny gauss run: four exported
 * options measured on the kernels, each device given a plan that fits its budget when one exists,
 * and the int8 model written being the one the numbers describe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import { defaultKernels, type KernelModule } from '../../src/kernels/loader.js';
import { runDeployStage, type DeployResult } from '../../src/pipeline/deployStage.js';
import type { KeptModel } from '../../src/pipeline/targetStage.js';
import { firstRows } from '../../src/pipeline/tensorBatches.js';
import { BUILTIN_DEVICES, type DeviceProfile } from '../../src/resource/deviceProfile.js';
import { kernelExecutorFromBytes } from '../../src/runtime/kernelExecutor.js';
import { TINY, tinySeed, tinyTarget, unitInterval, type TinySeed } from '../support/tinyRun.js';

let seed: TinySeed;
let kept: KeptModel;
let kernels: KernelModule;
let r: DeployResult;
let tensorsBefore = 0;
// A device no option fits: 1 KB.
const tiny: DeviceProfile = { ...BUILTIN_DEVICES[0]!, name: 'one-kilobyte', memoryBytes: 1024 };
const devices = [...BUILTIN_DEVICES, tiny];

beforeAll(async () => {
  await initTraining();
  kernels = await defaultKernels();
  seed = await tinySeed(7);
  const t = await tinyTarget(seed, { keepKap: true, methods: ['kap'] });
  kept = t.kept!;
  tensorsBefore = tf.memory().numTensors;
  const calibration = firstRows(seed.data.target.train.weak, 16);
  try {
    r = await runDeployStage({
      model: kept.model,
      calibration,
      labelled: kept.labelled,
      val: seed.data.target.val,
      test: seed.data.target.test,
      task: seed.task,
      higherIsBetter: seed.data.higherIsBetter,
      devices,
      mixedBytesRatio: TINY.compress.mixedBytesRatio,
      calibrationMethod: { kind: 'minmax' },
      prune: { sparsity: 0.5, steps: 2, lr: 1e-3, batchSize: 8 },
      kernels,
      rng: seed.rng.fork('deploy'),
    });
  } finally {
    calibration.dispose();
  }
}, 120_000);
afterAll(() => {
  kept.model.dispose();
  seed.dispose();
});

describe('the deployment stage', () => {
  it('measures four options, each with bytes, a latency and metrics in range', () => {
    expect(r.compression.options!.map((o) => o.id)).toEqual([
      'int8',
      'mixed-8/4',
      'pruned50-int8',
      'pruned50-mixed-8/4',
    ]);
    for (const o of r.compression.options!) {
      expect(o.bytes).toBeGreaterThan(0);
      expect(o.latencyMs).toBeGreaterThanOrEqual(0);
      expect(o).toMatchObject({ val: unitInterval, test: unitInterval });
    }
  });

  it('makes every compressed form smaller than the float model', () => {
    const c = r.compression;
    expect(c.int8.bytes).toBeLessThan(c.float.bytes);
    expect(c.mixed!.bytes).toBeLessThanOrEqual(c.int8.bytes);
    expect(c.pruned!.int8.bytes).toBeLessThan(c.int8.bytes);
  });

  it('writes the int8 model whose test metric the report states', () => {
    const exe = kernelExecutorFromBytes(r.optionBytes['int8']!, kernels);
    try {
      const test = seed.data.target.test;
      expect(seed.task.metric(exe.run(test.weak.data, test.n)['output']!, test.label!)).toBe(r.compression.int8.metric);
    } finally {
      exe.dispose();
    }
  });

  it('measures the 7-bit form beside int8 (the same student, same bytes), not as a device option', () => {
    const c = r.compression;
    expect(c.int7!.bytes).toBeGreaterThan(0);
    expect(Math.abs(c.int7!.bytes - c.int8.bytes)).toBeLessThan(0.02 * c.int8.bytes);
    expect(Number.isFinite(c.int7!.metric)).toBe(true);
    expect(c.options!.map((o) => o.id)).not.toContain('int7');
  });

  it('gives each device a plan among the options, fitting its memory when it says it fits', () => {
    expect(r.deployment.map((d) => d.device)).toEqual(devices.map((d) => d.name));
    for (const d of r.deployment) {
      const option = r.compression.options!.find((o) => o.id === d.plan['weak']);
      expect(option).toBeDefined();
      expect(d.memoryBytes).toBe(option!.bytes);
      expect(d.metric).toBe(option!.test);
      if (d.fits) expect(d.memoryBytes).toBeLessThanOrEqual(d.budget.memoryBytes);
    }
  });

  it('says so when nothing fits a device, and offers the smallest option', () => {
    const d = r.deployment.find((x) => x.device === 'one-kilobyte')!;
    expect(d.fits).toBe(false);
    expect(d.memoryBytes).toBe(Math.min(...r.compression.options!.map((o) => o.bytes)));
  });

  it('releases every tensor it made', () => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
