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
 */
import * as tf from '@tensorflow/tfjs-core';
import * as E from 'fp-ts/lib/Either.js';
import { kapriError } from '../core/errors.js';
import type { ProgressSink } from '../core/progress.js';
import type { Rng } from '../core/rng.js';
import { sampleSize, type Modality, type PairedSource } from '../data/dataset.js';
import type { CalibrationMethod } from '../compress/calibration.js';
import { exportQModel } from '../compress/exportQModel.js';
import { fitLinearAlignment, rSquared } from '../compress/alignmentFit.js';
import { refGemmF32 } from '../kernels/reference/f32.js';
import type { KernelModule } from '../kernels/loader.js';
import { headSpec } from '../nn/architectures.js';
import { createModel, stateVariables, type Model } from '../nn/model.js';
import { planFrontier, type ModalityOptions, type Plan } from '../resource/allocator.js';
import { networkCost } from '../resource/costModel.js';
import type { DeviceProfile } from '../resource/deviceProfile.js';
import { createGovernor, planForDevice } from '../resource/governor.js';
import { planAlignment, type AlignmentProjection } from '../runtime/alignment.js';
import type { Executor } from '../runtime/executor.js';
import { kernelExecutorFromBytes } from '../runtime/kernelExecutor.js';
import { createModalityRuntime } from '../runtime/modalityRuntime.js';
import { trainLoop } from '../train/trainLoop.js';
import { medianMs } from '../core/medianMs.js';
import { chooseInt4Layers, cyclingBatches } from './mixedPrecision.js';
import type { DeploymentEntry } from './report.js';
import type { TaskSpec } from './taskSpec.js';
import { firstRows, labelRows, predictAll, rows } from './tensorBatches.js';

/** The modalities of the fused model, in feature order. */
export const FUSED_ORDER = ['superior', 'weak'] as const;
type Slot = (typeof FUSED_ORDER)[number];
const ENCODER_OPTIONS = ['int8', 'mixed-8/4', 'skip'] as const;
type EncoderOption = (typeof ENCODER_OPTIONS)[number];

/** One whole plan, measured. */
export interface MeasuredPlan {
  readonly choice: Record<Slot, EncoderOption>;
  readonly bytes: number;
  /** The sum of the parts' latencies (what the knapsack adds up), on this machine. */
  readonly latencyMs: number;
  /** The whole plan run on the multi-modal runtime (one sample, median of 21), on this machine. */
  readonly measuredLatencyMs: number;
  /** The knapsack's additive estimate of the validation metric. */
  readonly predictedVal: number;
  readonly val: number;
  readonly test: number;
}

/** The `multiModal` section of report.json. */
export interface MultiModalReport {
  /** Where the metrics come from: the source's validation and test splits (the target has no superior modality). */
  readonly split: 'source';
  readonly metric: string;
  readonly modalities: Record<Slot, string>;
  /** R² of each substituted feature on the source validation split (float features). */
  readonly alignmentR2: { readonly weakToSuperior: number; readonly superiorToWeak: number };
  /** The fused head in float on the validation split: both features real, and each substituted. */
  readonly floatVal: { readonly both: number; readonly superiorSubstituted: number; readonly weakSubstituted: number };
  readonly options: Record<Slot | 'head', { id: string; bytes: number; latencyMs: number; value: number }[]>;
  readonly plans: MeasuredPlan[];
  /** Per device, the governor's plan from the stored frontier; `metric` is the plan's source test metric. */
  readonly deployment: DeploymentEntry[];
  /** Median time of one governor update (re-plan from the frontier), microseconds. */
  readonly governorUpdateUs: number;
  readonly frontierSize: number;
}

export interface MultiModalInput {
  readonly teacher: Model;
  readonly student: Model;
  readonly source: { readonly train: PairedSource; readonly val: PairedSource; readonly test: PairedSource };
  /** The labelled pairs (the only source labels the head may learn from). */
  readonly labelled: PairedSource;
  readonly task: TaskSpec;
  readonly higherIsBetter: boolean;
  readonly metricName: string;
  readonly modalityNames: Record<Slot, string>;
  readonly devices: readonly DeviceProfile[];
  readonly kernels: KernelModule;
  readonly calibrationMethod: CalibrationMethod;
  readonly calibrationSamples: number;
  readonly mixedBytesRatio: number;
  readonly headSteps: number;
  readonly rng: Rng;
  readonly onProgress?: ProgressSink;
}

const STAGE = 'multi-modal';

/** Float features of one encoder over a modality, [n × dim] row-major. */
const featuresOf = (model: Model, m: Modality, n: number): Float32Array =>
  predictAll(m, n, (x) => model.encoders[0]!.apply(x, { training: false }));

/** `x · W + b` for n rows of a linear alignment (the float reference of what the kernels run). */
const project = (p: AlignmentProjection, x: Float32Array, n: number): Float32Array =>
  refGemmF32(x, p.w!, { m: n, k: p.inDim, n: p.outDim }, p.bias);

/** Rows [a_i, b_i] of two row-major matrices. */
const concatRows = (a: Float32Array, da: number, b: Float32Array, db: number, n: number): Float32Array => {
  const out = new Float32Array(n * (da + db));
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * (da + db));
    out.set(b.subarray(i * db, (i + 1) * db), i * (da + db) + da);
  }
  return out;
};

/** Runs the stage; every executor and tensor it makes is released before it returns. */
export const runMultiModalStage = async (i: MultiModalInput): Promise<MultiModalReport> => {
  const { task, source, kernels } = i;
  if (!i.labelled.label || !source.val.label || !source.test.label) {
    throw kapriError(
      'InvalidData',
      'the fused deployment needs labels on the labelled source pairs and on the source validation and test splits',
    );
  }
  const sign = i.higherIsBetter ? 1 : -1;
  const say = (step: number, message: string) => i.onProgress?.({ stage: STAGE, step, total: 5, message });
  const encoders: Record<Slot, Model> = { superior: i.teacher, weak: i.student };
  const dim: Record<Slot, number> = { superior: i.teacher.featureDim, weak: i.student.featureDim };

  // 1. Alignments between the float features of every training pair, and their R² on validation.
  say(0, 'features and alignments');
  const feats = (d: PairedSource) => ({
    superior: featuresOf(i.teacher, d.superior, d.n),
    weak: featuresOf(i.student, d.weak, d.n),
  });
  const fTrain = feats(source.train);
  const fVal = feats(source.val);
  const fLab = feats(i.labelled);
  const align: Record<Slot, AlignmentProjection> = {
    // align[m] maps the other modality's feature to m's.
    superior: fitLinearAlignment(fTrain.weak, fTrain.superior, { from: 'weak', to: 'superior', n: source.train.n }),
    weak: fitLinearAlignment(fTrain.superior, fTrain.weak, { from: 'superior', to: 'weak', n: source.train.n }),
  };
  const alignmentR2 = {
    weakToSuperior: rSquared(project(align.superior, fVal.weak, source.val.n), fVal.superior, dim.superior),
    superiorToWeak: rSquared(project(align.weak, fVal.superior, source.val.n), fVal.weak, dim.weak),
  };

  // 2. The fused head, with modality dropout through the alignments.
  say(1, 'fused head');
  const d = dim.superior + dim.weak;
  const nl = i.labelled.n;
  const views = (f: { superior: Float32Array; weak: Float32Array }, n: number) => ({
    both: concatRows(f.superior, dim.superior, f.weak, dim.weak, n),
    superiorSubstituted: concatRows(project(align.superior, f.weak, n), dim.superior, f.weak, dim.weak, n),
    weakSubstituted: concatRows(f.superior, dim.superior, project(align.weak, f.superior, n), dim.weak, n),
  });
  const lab = views(fLab, nl);
  const trainRows = new Float32Array(3 * nl * d);
  trainRows.set(lab.both, 0);
  trainRows.set(lab.superiorSubstituted, nl * d);
  trainRows.set(lab.weakSubstituted, 2 * nl * d);
  const fused = createModel(
    'fused',
    [{ name: 'fused-input', inputShape: [d], layers: [] }],
    (f) => headSpec({ featureDim: f, outputs: task.outputs, hidden: Math.max(32, 2 * f), name: 'fused-head' }),
    i.rng.fork('fused-init'),
  );
  const valViews = views(fVal, source.val.n);
  const floatMetric = (rows: Float32Array, n: number, labels: PairedSource['label']) =>
    task.metric(
      predictAll({ data: rows, shape: [d] }, n, (x) => fused.forward([x], { training: false }).output),
      labels!,
    );
  const batchRng = i.rng.fork('fused-batches');
  const batch = Math.min(64, 3 * nl);
  await trainLoop({
    variables: fused.variables,
    state: stateVariables(fused),
    loss: () => {
      const idx = Array.from({ length: batch }, () => batchRng.int(3 * nl));
      const x = rows({ data: trainRows, shape: [d] }, idx);
      const y = labelRows(
        i.labelled.label!,
        idx.map((r) => r % nl),
        task.labelScale,
      );
      return task.taskLoss(fused.forward([x], { training: true }).output, y);
    },
    config: {
      steps: i.headSteps,
      lr: 3e-3,
      optimizer: { kind: 'adam' },
      schedule: { kind: 'cosine', warmupSteps: Math.min(20, Math.floor(i.headSteps / 10)) },
      evalEvery: Math.max(1, Math.floor(i.headSteps / 5)),
    },
    validate: () => floatMetric(valViews.both, source.val.n, source.val.label),
    higherIsBetter: i.higherIsBetter,
    stage: 'fused head',
    ...(i.onProgress ? { onProgress: i.onProgress } : {}),
  });
  const floatVal = {
    both: floatMetric(valViews.both, source.val.n, source.val.label),
    superiorSubstituted: floatMetric(valViews.superiorSubstituted, source.val.n, source.val.label),
    weakSubstituted: floatMetric(valViews.weakSubstituted, source.val.n, source.val.label),
  };

  // 3. QModels: each encoder in int8 and mixed 8/4, and the head in int8.
  say(2, 'export');
  const nc = Math.min(i.calibrationSamples, nl);
  const exes: Executor[] = [];
  const keep = (e: Executor): Executor => {
    exes.push(e);
    return e;
  };
  try {
    const encoderExes = {} as Record<Slot, Record<'int8' | 'mixed-8/4', { exe: Executor; bytes: number }>>;
    for (const m of FUSED_ORDER) {
      const model = encoders[m];
      const modality = i.labelled[m];
      const calib = firstRows(modality, nc);
      const int4Layers = chooseInt4Layers(
        model,
        cyclingBatches(modality, i.labelled.label!, nl, task.labelScale),
        task,
        i.mixedBytesRatio,
        (layer) => layer.startsWith('encoder0/'),
      );
      const int8 = exportQModel(model, calib, { calibration: i.calibrationMethod, encoderOnly: true });
      const mixed = exportQModel(model, calib, { calibration: i.calibrationMethod, encoderOnly: true, int4Layers });
      calib.dispose();
      encoderExes[m] = {
        int8: { exe: keep(kernelExecutorFromBytes(int8, kernels)), bytes: int8.length },
        'mixed-8/4': { exe: keep(kernelExecutorFromBytes(mixed, kernels)), bytes: mixed.length },
      };
    }
    const headCalib = tf.tensor2d(trainRows.subarray(0, Math.min(3 * nl, 3 * nc) * d), [Math.min(3 * nl, 3 * nc), d]);
    const headBytes = exportQModel(fused, headCalib, { calibration: i.calibrationMethod });
    headCalib.dispose();
    const head = keep(kernelExecutorFromBytes(headBytes, kernels));

    // 4. Options: bytes, latency on the kernels, and each option's validation value.
    say(3, 'measure options');
    const alignments = [align.superior, align.weak];
    const runtimeFor = (c: Record<Slot, EncoderOption>) =>
      createModalityRuntime({
        kernels,
        order: FUSED_ORDER,
        encoders: {
          superior: encoderExes.superior[c.superior === 'skip' ? 'int8' : c.superior].exe,
          weak: encoderExes.weak[c.weak === 'skip' ? 'int8' : c.weak].exe,
        },
        head,
        alignments,
      });
    /** The plan's metric on validation and test, and its latency on one sample, all on the kernels. */
    const evaluate = (c: Record<Slot, EncoderOption>) => {
      const rt = runtimeFor(c);
      try {
        const skip = FUSED_ORDER.filter((m) => c[m] === 'skip');
        const inputsOf = (split: PairedSource, s: number): Record<string, Float32Array> => {
          const inputs: Record<string, Float32Array> = {};
          for (const m of FUSED_ORDER)
            if (c[m] !== 'skip')
              inputs[m] = split[m].data.subarray(s * sampleSize(split[m].shape), (s + 1) * sampleSize(split[m].shape));
          return inputs;
        };
        const metricOn = (split: PairedSource): number => {
          const preds = new Float32Array(split.n * task.outputs);
          for (let s = 0; s < split.n; s++)
            preds.set(rt.run(inputsOf(split, s), { skip }).outputs['output']!, s * task.outputs);
          return task.metric(preds, split.label!);
        };
        const one = inputsOf(source.test, 0);
        return {
          val: metricOn(source.val),
          test: metricOn(source.test),
          latencyMs: medianMs(() => rt.run(one, { skip }), 21),
        };
      } finally {
        rt.dispose();
      }
    };
    const combos: Record<Slot, EncoderOption>[] = ENCODER_OPTIONS.flatMap((a) =>
      ENCODER_OPTIONS.map((b) => ({ superior: a, weak: b })),
    ).filter((c) => c.superior !== 'skip' || c.weak !== 'skip');
    const measured = new Map(combos.map((c) => [`${c.superior}|${c.weak}`, evaluate(c)]));
    const at = (c: Record<Slot, EncoderOption>) => measured.get(`${c.superior}|${c.weak}`)!;
    const ref = at({ superior: 'int8', weak: 'int8' }).val;
    const sample = (m: Slot) => source.val[m].data.subarray(0, sampleSize(source.val[m].shape));
    const alignMs = (m: Slot): number => {
      const p = planAlignment(kernels, align[m]);
      try {
        const x = fVal[align[m].from as Slot].subarray(0, align[m].inDim);
        return medianMs(() => p.apply(x), 21);
      } finally {
        p.dispose();
      }
    };
    const options = {} as MultiModalReport['options'];
    const mods: ModalityOptions[] = FUSED_ORDER.map((m) => {
      const other: Slot = m === 'superior' ? 'weak' : 'superior';
      const peak = networkCost(encoders[m].encoders[0]!.spec).peakActivationElements;
      const opts = ENCODER_OPTIONS.map((o) => {
        const value = sign * (at({ [m]: o, [other]: 'int8' } as Record<Slot, EncoderOption>).val - ref);
        if (o === 'skip')
          return {
            id: o,
            bytes: (align[m].w!.length + align[m].bias.length) * 4,
            latencyMs: alignMs(m),
            value,
            skip: true,
          };
        const { exe, bytes } = encoderExes[m][o];
        return { id: o, bytes: bytes + peak, latencyMs: medianMs(() => exe.run(sample(m)), 21), value };
      });
      options[m] = opts.map(({ skip: _s, ...o }) => o);
      return { modality: m, options: opts };
    });
    const headOption = {
      id: 'int8',
      bytes: headBytes.length + d * 4,
      latencyMs: medianMs(() => head.run(valViews.both.subarray(0, d)), 21),
      value: sign * ref,
    };
    options.head = [headOption];

    // 5. The frontier, the governor, and each device's plan.
    say(4, 'plan per device');
    const front = E.getOrElseW((e: Error) => {
      throw e;
    })(planFrontier(mods));
    const governor = createGovernor(front);
    const plans: MeasuredPlan[] = combos.map((c) => {
      const opt = (m: Slot) => mods.find((x) => x.modality === m)!.options.find((o) => o.id === c[m])!;
      const r = at(c);
      return {
        choice: c,
        bytes: opt('superior').bytes + opt('weak').bytes + headOption.bytes,
        latencyMs: opt('superior').latencyMs + opt('weak').latencyMs + headOption.latencyMs,
        measuredLatencyMs: r.latencyMs,
        predictedVal: ref + sign * (opt('superior').value + opt('weak').value),
        val: r.val,
        test: r.test,
      };
    });
    const measuredOf = (p: Plan) =>
      at({ superior: p.choice['superior'] as EncoderOption, weak: p.choice['weak'] as EncoderOption });
    const deployment = i.devices.map((dev): DeploymentEntry => {
      // The head runs in every plan: a fixed cost next to the encoders' choice.
      const { plan, fits } = planForDevice(governor, dev, headOption);
      // The plan is chosen on the parts' latencies; the entry reports the whole plan's measured latency.
      const m = measuredOf(plan);
      return {
        device: dev.name,
        budget: { memoryBytes: dev.memoryBytes, latencyMs: dev.latencyMs },
        plan: { ...plan.choice, head: 'int8' },
        memoryBytes: plan.bytes,
        latencyMs: m.latencyMs / dev.relativeSpeed,
        metric: m.test,
        fits: fits && m.latencyMs / dev.relativeSpeed <= dev.latencyMs,
      };
    });
    const budgets = Array.from({ length: 64 }, (_, k) => ({ memoryBytes: (k + 1) * 4096, latencyMs: 0.05 * (k + 1) }));
    const perUpdate: number[] = [];
    for (let rep = 0; rep < 11; rep++) {
      const t0 = performance.now();
      for (const b of budgets) governor.update(b);
      perUpdate.push(((performance.now() - t0) * 1000) / budgets.length);
    }
    perUpdate.sort((a, b) => a - b);
    say(5, 'done');
    return {
      split: 'source',
      metric: i.metricName,
      modalities: i.modalityNames,
      alignmentR2,
      floatVal,
      options,
      plans,
      deployment,
      governorUpdateUs: perUpdate[perUpdate.length >> 1]!,
      frontierSize: front.length,
    };
  } finally {
    for (const e of exes) e.dispose();
    fused.dispose();
  }
};
