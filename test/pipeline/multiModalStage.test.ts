/**
 * The multi-modal stage on the tiny gauss run, built from the scenario and source stages as a seed
 * builds it: every value in range and consistent with the others (the options with the plans they
 * were valued on, the devices with the plans they chose), and nothing it made outlives it, whether it
 * finishes or fails halfway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTraining } from '../../src/backend/initTraining.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import { createRng } from '../../src/core/rng.js';
import { defaultKernels, type KernelModule } from '../../src/kernels/loader.js';
import { BUILTIN_DEVICES } from '../../src/resource/deviceProfile.js';
import {
  FUSED_ORDER,
  runMultiModalStage,
  type MeasuredPlan,
  type MultiModalInput,
  type MultiModalReport,
} from '../../src/pipeline/multiModalStage.js';
import { scenarioOf, type SeedContext } from '../../src/pipeline/seedRun.js';
import { runSourceStage, type SourceStageResult } from '../../src/pipeline/sourceStage.js';
import { finite } from '../support/finite.js';
import { TINY, unitInterval } from '../support/tinyRun.js';

const devices = BUILTIN_DEVICES.slice(0, 2);
let kernels: KernelModule;
let source: SourceStageResult;
let input: MultiModalInput;
let report: MultiModalReport;
const events: ProgressEvent[] = [];
let tensorsBefore = 0;
let tensorsAfter = 0;
let arenaBefore = 0;
let arenaAfter = 0;

/** The stage's input as seedRun builds it, on the tiny run's scenario and source models. */
const inputOf = (ctx: SeedContext, s: SourceStageResult): MultiModalInput => {
  const { data, task } = scenarioOf(ctx);
  return {
    teacher: s.teacher,
    student: s.studentKd,
    source: data.source,
    labelled: s.labelled,
    task,
    higherIsBetter: data.higherIsBetter,
    metricName: data.metric,
    modalityNames: data.modalities,
    devices,
    kernels,
    calibrationMethod: { kind: 'percentile', percentile: TINY.compress.percentile },
    calibrationSamples: TINY.compress.calibrationSamples,
    mixedBytesRatio: TINY.compress.mixedBytesRatio,
    headSteps: TINY.student.steps,
    rng: ctx.rng.fork('multi-modal'),
  };
};

beforeAll(async () => {
  await initTraining();
  kernels = await defaultKernels();
  const ctx: SeedContext = {
    config: TINY,
    options: { seed: 0, first: true, devices, kernels, onProgress: () => {} },
    rng: createRng(0),
    timings: {},
  };
  const { data, task } = scenarioOf(ctx);
  source = await runSourceStage({ source: data.source, task, config: TINY, rng: ctx.rng.fork('source') });
  input = inputOf(ctx, source);
  tensorsBefore = tf.memory().numTensors;
  arenaBefore = kernels.arena.liveCount;
  report = await runMultiModalStage({ ...input, onProgress: (e) => events.push(e) });
  tensorsAfter = tf.memory().numTensors;
  arenaAfter = kernels.arena.liveCount;
}, 120_000);

afterAll(() => {
  source?.teacher.dispose();
  source?.studentKd.dispose();
  source?.projection.dispose();
});

const planOf = (superior: string, weak: string): MeasuredPlan =>
  report.plans.find((p) => p.choice.superior === superior && p.choice.weak === weak)!;
const sign = (): number => (input.higherIsBetter ? 1 : -1);

describe('the multi-modal stage', () => {
  it('reports the source splits, the metric and the modalities it was given', () => {
    expect(report).toMatchObject({ split: 'source', metric: input.metricName, modalities: input.modalityNames });
  });

  it('fits alignments with a finite R² of at most 1 on validation', () => {
    for (const r2 of Object.values(report.alignmentR2)) {
      expect(r2).toEqual(finite);
      expect(r2).toBeLessThanOrEqual(1);
    }
  });

  it('scores the float head in the metric range on each view', () => {
    expect(report.floatVal).toEqual({
      both: unitInterval,
      superiorSubstituted: unitInterval,
      weakSubstituted: unitInterval,
    });
  });

  it('offers int8, mixed 8/4 and skip per encoder and int8 for the head, each with bytes, latency and a value', () => {
    expect(report.options.superior.map((o) => o.id)).toEqual(['int8', 'mixed-8/4', 'skip']);
    expect(report.options.weak.map((o) => o.id)).toEqual(['int8', 'mixed-8/4', 'skip']);
    expect(report.options.head.map((o) => o.id)).toEqual(['int8']);
    for (const o of [...report.options.superior, ...report.options.weak, ...report.options.head]) {
      expect(o.bytes).toBeGreaterThan(0);
      expect(o.latencyMs).toBeGreaterThanOrEqual(0);
      expect(o.value).toEqual(finite);
    }
  });

  it('prices a skip at the alignment’s floats: W (other dim × own dim) and b (own dim), 4 bytes each', () => {
    const dim = { superior: input.teacher.featureDim, weak: input.student.featureDim };
    const skip = (m: 'superior' | 'weak') => report.options[m].find((o) => o.id === 'skip')!;
    expect(skip('superior').bytes).toBe((dim.weak * dim.superior + dim.superior) * 4);
    expect(skip('weak').bytes).toBe((dim.superior * dim.weak + dim.weak) * 4);
  });

  it('measures the 8 plans, every combination but skip|skip, with metrics in range', () => {
    const ids = ['int8', 'mixed-8/4', 'skip'];
    const all = ids.flatMap((a) => ids.map((b) => `${a}|${b}`)).filter((k) => k !== 'skip|skip');
    expect(report.plans.map((p) => `${p.choice.superior}|${p.choice.weak}`)).toEqual(all);
    for (const p of report.plans) {
      expect(p).toMatchObject({ val: unitInterval, test: unitInterval, predictedVal: finite });
      expect(p.measuredLatencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('values each option by the plan where only it changes, against both-int8', () => {
    const ref = planOf('int8', 'int8').val;
    for (const m of FUSED_ORDER)
      for (const o of report.options[m]) {
        const alone = m === 'superior' ? planOf(o.id, 'int8') : planOf('int8', o.id);
        expect(o.value).toBe(sign() * (alone.val - ref));
      }
    expect(report.options.head[0]!.value).toBe(sign() * ref);
  });

  it('adds up each plan from its options, so the estimate is exact at int8|int8', () => {
    const opt = (m: 'superior' | 'weak', id: string) => report.options[m].find((o) => o.id === id)!;
    const head = report.options.head[0]!;
    for (const p of report.plans) {
      const [s, w] = [opt('superior', p.choice.superior), opt('weak', p.choice.weak)];
      expect(p.bytes).toBe(s.bytes + w.bytes + head.bytes);
      expect(p.latencyMs).toBeCloseTo(s.latencyMs + w.latencyMs + head.latencyMs, 9);
    }
    // Both int8 options are valued 0 against the int8|int8 plan itself.
    const ref = planOf('int8', 'int8');
    expect(ref.predictedVal).toBe(ref.val);
  });

  it('plans each device with one of the measured plans, reporting that plan’s test metric', () => {
    expect(report.deployment.map((d) => d.device)).toEqual(devices.map((d) => d.name));
    for (const [k, d] of report.deployment.entries()) {
      expect(d.plan.head).toBe('int8');
      const p = planOf(d.plan['superior']!, d.plan['weak']!);
      expect(p).toBeDefined();
      expect(d.metric).toBe(p.test);
      expect(d.memoryBytes).toBe(p.bytes);
      expect(d.latencyMs).toBe(p.measuredLatencyMs / devices[k]!.relativeSpeed);
      expect(typeof d.fits).toBe('boolean');
    }
  });

  it('keeps a non-empty frontier and times a governor update', () => {
    expect(report.frontierSize).toBeGreaterThanOrEqual(1);
    // The frontier holds whole plans without skip|skip: at most the 8 measured ones.
    expect(report.frontierSize).toBeLessThanOrEqual(report.plans.length);
    expect(report.governorUpdateUs).toEqual(finite);
    expect(report.governorUpdateUs).toBeGreaterThanOrEqual(0);
  });

  it('reports its progress from step 0 to 5 of 5, with the head’s training inside', () => {
    const own = events.filter((e) => e.stage === 'multi-modal');
    expect(own.map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(own.every((e) => e.total === 5)).toBe(true);
    expect(events.some((e) => e.stage === 'fused head')).toBe(true);
  });

  it('releases every tensor and kernel executor it made', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
    expect(arenaAfter).toBe(arenaBefore);
  });

  it.each([
    ['while training the head', (e: ProgressEvent) => e.stage === 'fused head'],
    ['with every executor made', (e: ProgressEvent) => e.stage === 'multi-modal' && e.step === 3],
  ])('releases everything when it fails %s', async (_, when) => {
    const [tensors, arena] = [tf.memory().numTensors, kernels.arena.liveCount];
    // A sink that throws (a closed terminal, say) is the cleanest way to fail at a chosen point.
    const failing = (e: ProgressEvent) => {
      if (when(e)) throw new Error('the progress sink failed');
    };
    await expect(runMultiModalStage({ ...input, onProgress: failing })).rejects.toThrow('the progress sink failed');
    expect(tf.memory().numTensors).toBe(tensors);
    expect(kernels.arena.liveCount).toBe(arena);
  });

  it('refuses unlabelled validation pairs before making anything', async () => {
    const { label: _, ...val } = input.source.val;
    const bad = { ...input, source: { ...input.source, val } };
    const tensors = tf.memory().numTensors;
    await expect(runMultiModalStage(bad)).rejects.toMatchObject({ tag: 'InvalidData' });
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
