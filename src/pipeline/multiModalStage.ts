/**
 * The multi-modal deployment (docs/methods.md §3: allocation across modalities and alignment substitution),
 * on the paired source: the only data on which both modalities exist. The encoders are the
 * teacher's (superior modality) and the CMKD student's (weak). A fused head over both features is
 * trained on the labelled pairs with modality dropout: a third of its rows see the superior feature
 * substituted from the weak one through the alignment, a third the reverse, so a plan that skips an
 * encoder runs the head on inputs it was trained for. The alignments are ridge fits between the float
 * features of all source training pairs (closed form).
 *
 * Per modality the options are int8, mixed 8/4 and skip, each with bytes (the QModel plus its
 * activations, or the projection's floats), latency measured on the kernels and a validation value:
 * the change of the fused metric on the source validation split when only this modality takes the
 * option (the other stays int8). The exact multiple-choice knapsack chooses on those additive values;
 * every valid plan is also measured whole on validation and test, so the report shows how well the
 * additive values rank plans. The governor re-plans from the stored frontier for each device.
 *
 * This module is the composition; each step lives in `multiModal/`.
 */
import { kapriError } from '../core/errors.js';
import type { Labels, PairedSource } from '../data/dataset.js';
import { createGovernor } from '../resource/governor.js';
import { alignmentR2Of, fitAlignments } from './multiModal/alignments.js';
import { deploymentOf, frontierOf, governorUpdateUs, measuredPlans } from './multiModal/devicePlans.js';
import { createDisposables } from './multiModal/disposables.js';
import { pairedFeatures } from './multiModal/features.js';
import { createFusedHead, floatMetric, floatValOf, trainFusedHead } from './multiModal/fusedHead.js';
import { dropoutRows, fusedViews } from './multiModal/fusedRows.js';
import { encoderOptions, headOption, reportOptions } from './multiModal/optionMeasures.js';
import { measurePlans } from './multiModal/planMeasures.js';
import { exportEncoders, exportHead } from './multiModal/qmodelExports.js';
import { validChoices } from './multiModal/slots.js';
import type { MultiModalInput, MultiModalReport } from './multiModal/types.js';

export { FUSED_ORDER } from './multiModal/slots.js';
export type { MeasuredPlan, MultiModalInput, MultiModalReport } from './multiModal/types.js';

const STAGE = 'multi-modal';

type Labelled = PairedSource & { readonly label: Labels };

/** The splits with their labels, or an InvalidData error: the head learns and is scored on labels. */
const labelledSplits = (i: MultiModalInput): { labelled: Labelled; val: Labelled; test: Labelled } => {
  const { labelled, source } = i;
  if (!labelled.label || !source.val.label || !source.test.label) {
    throw kapriError(
      'InvalidData',
      'the fused deployment needs labels on the labelled source pairs and on the source validation and test splits',
    );
  }
  return {
    labelled: { ...labelled, label: labelled.label },
    val: { ...source.val, label: source.val.label },
    test: { ...source.test, label: source.test.label },
  };
};

/** Runs the stage; every model, executor and tensor it makes is released before it returns or throws. */
export const runMultiModalStage = async (i: MultiModalInput): Promise<MultiModalReport> => {
  const { task, kernels } = i;
  const { labelled, val, test } = labelledSplits(i);
  const sign = i.higherIsBetter ? 1 : -1;
  const say = (step: number, message: string) => i.onProgress?.({ stage: STAGE, step, total: 5, message });
  const models = { superior: i.teacher, weak: i.student };
  const dim = { superior: i.teacher.featureDim, weak: i.student.featureDim };
  const d = dim.superior + dim.weak;

  say(0, 'features and alignments');
  const fVal = pairedFeatures(models, val);
  const align = fitAlignments(pairedFeatures(models, i.source.train), i.source.train.n);
  const alignmentR2 = alignmentR2Of(align, fVal, val.n);

  say(1, 'fused head');
  const valViews = fusedViews(fVal, align, dim, val.n);
  const trainRows = dropoutRows(fusedViews(pairedFeatures(models, labelled), align, dim, labelled.n));

  const owned = createDisposables();
  try {
    const fused = owned.keep(createFusedHead(d, task.outputs, i.rng.fork('fused-init')));
    await trainFusedHead(fused, task, {
      rows: trainRows,
      d,
      labels: labelled.label,
      pairs: labelled.n,
      steps: i.headSteps,
      higherIsBetter: i.higherIsBetter,
      rng: i.rng.fork('fused-batches'),
      validate: () => floatMetric(fused, task, valViews.both, d, val.label),
      ...(i.onProgress ? { onProgress: i.onProgress } : {}),
    });
    const floatVal = floatValOf(fused, task, valViews, d, val.label);

    say(2, 'export');
    const settings = {
      kernels,
      task,
      calibrationMethod: i.calibrationMethod,
      calibrationSamples: Math.min(i.calibrationSamples, labelled.n),
      mixedBytesRatio: i.mixedBytesRatio,
    };
    const encoders = exportEncoders(models, labelled, settings, owned.keep);
    const head = exportHead(fused, trainRows, d, settings, owned.keep);

    say(3, 'measure options');
    const choices = validChoices();
    const at = measurePlans({ kernels, encoders, head: head.exe, align }, task, { val, test }, choices);
    const mods = encoderOptions({ kernels, models, encoders, align, val, valFeatures: fVal, at, sign });
    const headOpt = headOption(head, valViews.both.subarray(0, d), at, sign);

    say(4, 'plan per device');
    const front = frontierOf(mods);
    const governor = createGovernor(front);
    const plans = measuredPlans(choices, mods, headOpt, at, sign);
    const deployment = deploymentOf(governor, i.devices, headOpt, at);
    const updateUs = governorUpdateUs(governor);
    say(5, 'done');
    return {
      split: 'source',
      metric: i.metricName,
      modalities: i.modalityNames,
      alignmentR2,
      floatVal,
      options: reportOptions(mods, headOpt),
      plans,
      deployment,
      governorUpdateUs: updateUs,
      frontierSize: front.length,
    };
  } finally {
    owned.release();
  }
};
