/**
 * Every plan measured whole on the kernels: the multi-modal runtime with the plan's encoders (a
 * skipped one's feature substituted through its alignment) scores the source validation and test
 * splits sample by sample, and one sample's latency is the median of 21 runs.
 */
import { kapriError } from '../../core/errors.js';
import { medianMs } from '../../core/medianMs.js';
import { sampleSize, type PairedSource } from '../../data/dataset.js';
import type { KernelModule } from '../../kernels/loader.js';
import type { AlignmentProjection } from '../../runtime/alignment.js';
import type { Executor } from '../../runtime/executor.js';
import { createModalityRuntime, type ModalityRuntime } from '../../runtime/modalityRuntime.js';
import type { TaskSpec } from '../taskSpec.js';
import type { EncoderExports } from './qmodelExports.js';
import { choiceKey, FUSED_ORDER, type Choice, type Slot } from './slots.js';
import type { PerSlot } from './types.js';

/** A whole plan's metric on validation and test, and its latency on one sample (this machine). */
export interface PlanMeasure {
  readonly val: number;
  readonly test: number;
  readonly latencyMs: number;
}

/** What the plans run on. */
export interface PlanParts {
  readonly kernels: KernelModule;
  readonly encoders: EncoderExports;
  readonly head: Executor;
  readonly align: PerSlot<AlignmentProjection>;
}

/** The runtime of plan `c`; a skipped encoder's int8 executor is bound but never run. The caller disposes it. */
export const runtimeFor = (p: PlanParts, c: Choice): ModalityRuntime =>
  createModalityRuntime({
    kernels: p.kernels,
    order: FUSED_ORDER,
    encoders: {
      superior: p.encoders.superior[c.superior === 'skip' ? 'int8' : c.superior].exe,
      weak: p.encoders.weak[c.weak === 'skip' ? 'int8' : c.weak].exe,
    },
    head: p.head,
    alignments: [p.align.superior, p.align.weak],
  });

/** Sample `s` of a split, for the modalities that run (a skipped one needs no input). */
export const inputsOf = (split: PairedSource, s: number, run: readonly Slot[]): Record<string, Float32Array> => {
  const inputs: Record<string, Float32Array> = {};
  for (const m of run) {
    const per = sampleSize(split[m].shape);
    inputs[m] = split[m].data.subarray(s * per, (s + 1) * per);
  }
  return inputs;
};

/** Plan `c` measured whole on the splits' labelled samples (one sample at a time, as on a device). */
export const measurePlan = (
  p: PlanParts,
  task: TaskSpec,
  splits: { readonly val: PairedSource; readonly test: PairedSource },
  c: Choice,
): PlanMeasure => {
  const rt = runtimeFor(p, c);
  try {
    const skip = FUSED_ORDER.filter((m) => c[m] === 'skip');
    const run = FUSED_ORDER.filter((m) => c[m] !== 'skip');
    const metricOn = (split: PairedSource): number => {
      const preds = new Float32Array(split.n * task.outputs);
      for (let s = 0; s < split.n; s++)
        preds.set(rt.run(inputsOf(split, s, run), { skip }).outputs['output']!, s * task.outputs);
      return task.metric(preds, split.label!);
    };
    const one = inputsOf(splits.test, 0, run);
    return {
      val: metricOn(splits.val),
      test: metricOn(splits.test),
      latencyMs: medianMs(() => rt.run(one, { skip }), 21),
    };
  } finally {
    rt.dispose();
  }
};

/** Each of `choices` measured whole, by plan; `at` throws for a plan not measured. */
export const measurePlans = (
  p: PlanParts,
  task: TaskSpec,
  splits: { readonly val: PairedSource; readonly test: PairedSource },
  choices: readonly Choice[],
): ((c: Choice) => PlanMeasure) => {
  const measured = new Map(choices.map((c) => [choiceKey(c), measurePlan(p, task, splits, c)]));
  return (c) => {
    const r = measured.get(choiceKey(c));
    if (!r) throw kapriError('InvalidArgument', `plan ${choiceKey(c)} was not measured`);
    return r;
  };
};
