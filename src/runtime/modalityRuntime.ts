/**
 * A multi-modal student at run time: one encoder per modality (each a QModel whose `feature`
 * output is a vector), a head over the features concatenated in a fixed order, and alignment
 * projections between modalities. A plan may skip modalities (to meet a budget, or because a sensor
 * is off): each skipped modality's feature is then approximated from a kept one through its
 * alignment projection on the f32 kernels, and its encoder does not run.
 *
 * @example
 * const rt = createModalityRuntime({ kernels, order: ['rgb', 'depth'], encoders, head, alignments });
 * const { outputs, substituted } = rt.run({ rgb }, { skip: ['depth'] });   // substituted: { depth: 'rgb' }
 */
import { kapriError } from '../core/errors.js';
import type { KernelModule } from '../kernels/loader.js';
import { planAlignment, type AlignmentProjection, type PlannedAlignment } from './alignment.js';
import type { Executor } from './executor.js';

/** What a modality runtime is built from. */
export interface ModalityRuntimeSpec {
  readonly kernels: KernelModule;
  /** Modalities in the order their features are concatenated for the head. */
  readonly order: readonly string[];
  /** One encoder per modality; each must output `featureName` (a vector). */
  readonly encoders: Readonly<Record<string, Executor>>;
  /** The encoder output holding the feature (default 'feature'). */
  readonly featureName?: string;
  /** The head: input is the concatenation of the features in `order`. */
  readonly head: Executor;
  readonly alignments: readonly AlignmentProjection[];
}

/** One inference: the head's outputs and, per skipped modality, the modality its feature came from. */
export interface ModalityResult {
  readonly outputs: Record<string, Float32Array>;
  readonly substituted: Record<string, string>;
}

/** A planned multi-modal runtime. */
export interface ModalityRuntime {
  readonly order: readonly string[];
  /** Runs one sample; `inputs` needs only the modalities not skipped. */
  run(inputs: Readonly<Record<string, Float32Array>>, plan?: { readonly skip?: readonly string[] }): ModalityResult;
  /** Can this set of modalities be skipped (every skipped one reachable from a kept one)? */
  canSkip(skip: readonly string[]): boolean;
  dispose(): void;
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Builds a runtime; validates that encoders, features, head input and projections fit together. */
export const createModalityRuntime = (spec: ModalityRuntimeSpec): ModalityRuntime => {
  const featureName = spec.featureName ?? 'feature';
  const { order } = spec;
  if (order.length === 0 || new Set(order).size !== order.length) {
    throw kapriError('InvalidConfig', `order must list distinct modalities, got ${JSON.stringify(order)}`);
  }
  const dims = new Map<string, number>();
  for (const m of order) {
    const enc = spec.encoders[m];
    if (!enc) throw kapriError('InvalidConfig', `no encoder for modality '${m}'`);
    const t = enc.model.header.tensors.find((x) => x.name === featureName);
    if (!t || !enc.model.header.outputs.includes(featureName) || t.dtype !== 'f32') {
      throw kapriError('InvalidConfig', `the '${m}' encoder has no float output '${featureName}'`);
    }
    dims.set(m, size(t.shape));
  }
  const total = order.reduce((a, m) => a + dims.get(m)!, 0);
  if (size(spec.head.inputShape) !== total) {
    throw kapriError(
      'InvalidConfig',
      `the head takes ${size(spec.head.inputShape)} floats but the features of ${order.join(' + ')} are ${total}`,
    );
  }
  const planned: PlannedAlignment[] = [];
  try {
    for (const p of spec.alignments) {
      if (!dims.has(p.from) || !dims.has(p.to))
        throw kapriError(
          'InvalidConfig',
          `alignment ${p.from} → ${p.to} names a modality not in ${JSON.stringify(order)}`,
        );
      if (p.inDim !== dims.get(p.from) || p.outDim !== dims.get(p.to)) {
        throw kapriError(
          'InvalidConfig',
          `alignment ${p.from} → ${p.to} maps ${p.inDim} → ${p.outDim} floats, but the features are ${dims.get(p.from)} and ${dims.get(p.to)}`,
        );
      }
      planned.push(planAlignment(spec.kernels, p));
    }
  } catch (e) {
    for (const p of planned) p.dispose();
    throw e;
  }
  const sourceFor = (m: string, kept: ReadonlySet<string>): PlannedAlignment | undefined =>
    planned.find((p) => p.projection.to === m && kept.has(p.projection.from));
  const checkSkip = (skip: readonly string[]): Set<string> => {
    for (const m of skip)
      if (!dims.has(m))
        throw kapriError('InvalidArgument', `cannot skip '${m}': the modalities are ${order.join(', ')}`);
    const kept = new Set(order.filter((m) => !skip.includes(m)));
    if (kept.size === 0) throw kapriError('InvalidArgument', 'a plan must keep at least one modality');
    return kept;
  };
  const head = new Float32Array(total);
  return {
    order,
    canSkip: (skip) => {
      try {
        const kept = checkSkip(skip);
        return skip.every((m) => sourceFor(m, kept) !== undefined);
      } catch {
        return false;
      }
    },
    run: (inputs, plan = {}) => {
      const skip = plan.skip ?? [];
      const kept = checkSkip(skip);
      const features = new Map<string, Float32Array>();
      for (const m of kept) {
        const x = inputs[m];
        if (!(x instanceof Float32Array))
          throw kapriError('InvalidArgument', `modality '${m}' is kept by the plan but has no Float32Array input`);
        features.set(m, spec.encoders[m]!.run(x)[featureName]!);
      }
      const substituted: Record<string, string> = {};
      for (const m of skip) {
        const p = sourceFor(m, kept);
        if (!p)
          throw kapriError(
            'Unsupported',
            `modality '${m}' is skipped but no alignment projection maps a kept modality (${[...kept].join(', ')}) to it`,
          );
        features.set(m, p.apply(features.get(p.projection.from)!));
        substituted[m] = p.projection.from;
      }
      let at = 0;
      for (const m of order) {
        head.set(features.get(m)!, at);
        at += dims.get(m)!;
      }
      return { outputs: spec.head.run(head), substituted };
    },
    dispose: () => {
      for (const p of planned) p.dispose();
    },
  };
};
