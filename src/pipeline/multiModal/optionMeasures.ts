/**
 * Each modality's options for the knapsack (docs/methods.md §3): bytes (the QModel plus its peak activations,
 * or the alignment's floats), latency of the part alone on the kernels, and a validation value: the
 * change of the fused metric when only this modality takes the option and the other stays int8
 * (signed so that higher is better). The head runs in every plan: one option, valued at the reference.
 */
import { medianMs } from '../../core/medianMs.js';
import { sampleSize, type PairedSource } from '../../data/dataset.js';
import type { KernelModule } from '../../kernels/loader.js';
import type { Model } from '../../nn/model.js';
import type { ModalityOption, ModalityOptions } from '../../resource/allocator.js';
import { networkCost } from '../../resource/costModel.js';
import { planAlignment, type AlignmentProjection } from '../../runtime/alignment.js';
import { alignmentFloats } from './alignments.js';
import type { PlanMeasure } from './planMeasures.js';
import type { Exported, EncoderExports } from './qmodelExports.js';
import { alone, ENCODER_OPTIONS, FUSED_ORDER, REFERENCE, type Choice, type Slot } from './slots.js';
import type { MultiModalReport, PerSlot } from './types.js';

/** What the options are measured on. */
export interface OptionParts {
  readonly kernels: KernelModule;
  readonly models: PerSlot<Model>;
  readonly encoders: EncoderExports;
  readonly align: PerSlot<AlignmentProjection>;
  /** The validation split (one sample times an encoder) and its float features (one times an alignment). */
  readonly val: PairedSource;
  readonly valFeatures: PerSlot<Float32Array>;
  /** The whole plans' measures (planMeasures.ts). */
  readonly at: (c: Choice) => PlanMeasure;
  /** 1 when the metric is higher-is-better, −1 otherwise: values are gains. */
  readonly sign: 1 | -1;
}

/** Median time of one alignment applied to one feature on the f32 kernels. */
export const alignmentMs = (kernels: KernelModule, p: AlignmentProjection, feature: Float32Array): number => {
  const planned = planAlignment(kernels, p);
  try {
    return medianMs(() => planned.apply(feature), 21);
  } finally {
    planned.dispose();
  }
};

/** One modality's options, in ENCODER_OPTIONS order; skip is flagged for the allocator. */
export const modalityOptions = (p: OptionParts, m: Slot): ModalityOptions => {
  const ref = p.at(REFERENCE).val;
  const peak = networkCost(p.models[m].encoders[0]!.spec).peakActivationElements;
  const sample = p.val[m].data.subarray(0, sampleSize(p.val[m].shape));
  const align = p.align[m];
  const options = ENCODER_OPTIONS.map((o): ModalityOption => {
    const value = p.sign * (p.at(alone(m, o)).val - ref);
    if (o === 'skip') {
      const feature = p.valFeatures[align.from as Slot].subarray(0, align.inDim);
      const latencyMs = alignmentMs(p.kernels, align, feature);
      return { id: o, bytes: alignmentFloats(align) * 4, latencyMs, value, skip: true };
    }
    const { exe, bytes } = p.encoders[m][o];
    return { id: o, bytes: bytes + peak, latencyMs: medianMs(() => exe.run(sample), 21), value };
  });
  return { modality: m, options };
};

/** Every modality's options, in FUSED_ORDER. */
export const encoderOptions = (p: OptionParts): ModalityOptions[] => FUSED_ORDER.map((m) => modalityOptions(p, m));

/** The head's one option: its QModel plus its input row, its latency on one validation row, the reference value. */
export const headOption = (head: Exported, row: Float32Array, at: OptionParts['at'], sign: 1 | -1): ModalityOption => ({
  id: 'int8',
  bytes: head.bytes + row.length * 4,
  latencyMs: medianMs(() => head.exe.run(row), 21),
  value: sign * at(REFERENCE).val,
});

/** The report's options: the allocator's, without the skip flag, and the head's. */
export const reportOptions = (mods: readonly ModalityOptions[], head: ModalityOption): MultiModalReport['options'] => {
  const strip = (o: ModalityOption) => ({ id: o.id, bytes: o.bytes, latencyMs: o.latencyMs, value: o.value });
  const of = (m: Slot) => mods.find((x) => x.modality === m)!.options.map(strip);
  return { superior: of('superior'), weak: of('weak'), head: [strip(head)] };
};
