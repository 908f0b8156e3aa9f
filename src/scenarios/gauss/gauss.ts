/**
 * `gauss`: the synthetic generator of the Modality Focusing Hypothesis (Xue et al., ICLR 2023), as
 * we read it (their code is not at hand): each modality has d = 500 features; k of the latent
 * features are decisive for the label y = 1[wᵀ z_dec > 0]. A share γ of the decisive features is
 * modality-general (present in both modalities), the rest is specific to the superior modality;
 * every other coordinate is Gaussian noise. With γ = 1 all the teacher's knowledge is expressible by
 * the student; with γ = 0 none of its decisive evidence is visible to the student. Distillation should
 * help more as γ grows. Source and target differ by a shift of the noise scale.
 * The premise it must reproduce: the KD gain on the source grows with γ (`data.gamma` for a run,
 * `data.gammaSweep` for the grid); only the number of decisive latents the weak modality sees
 * changes with γ, its other coordinates stay noise of the same scale.
 * `shift` (src/scenarios/targetShift.ts) scales the source → target shift: the target's noise scale is
 * `noise·(1 + 0.5·shift)` (1.5× at 1, the default; the source's at 0). Labels and the layout of the
 * decisive features are the same on both sides.
 */
import { kapriError } from '../../core/errors.js';
import { createRng, type Rng } from '../../core/rng.js';
import type { PairedSource, Target } from '../../data/dataset.js';
import type { ScenarioData } from '../scenario.js';
import { assembleSplits, resolveSizes, type ScenarioOptions } from '../splitSizes.js';
import { resolveShift, type ShiftOption } from '../targetShift.js';

export interface GaussOptions extends ScenarioOptions, ShiftOption {
  /** Features per modality (default 500). */
  readonly dim?: number;
  /** Decisive latent features (default 50). */
  readonly decisive?: number;
  /** Modality-general share γ of the decisive features, in [0, 1] (default 0.5). */
  readonly gamma?: number;
  /** Noise scale of the non-decisive features (default 1); the target uses (1 + 0.5·shift)×, 1.5× by default. */
  readonly noise?: number;
}

interface Layout {
  readonly dim: number;
  readonly general: number[];
  readonly specific: number[];
  readonly w: Float64Array;
  /** Where each decisive latent sits in each modality's feature vector. */
  readonly posSup: Int32Array;
  readonly posWeak: Int32Array;
}

const layout = (rng: Rng, dim: number, k: number, gamma: number): Layout => {
  const g = Math.round(gamma * k);
  const idx = Array.from({ length: k }, (_, i) => i);
  return {
    dim,
    general: idx.slice(0, g),
    specific: idx.slice(g),
    w: Float64Array.from({ length: k }, () => rng.normal()),
    posSup: rng.permutation(dim).slice(0, k),
    posWeak: rng.permutation(dim).slice(0, k),
  };
};

const draw = (n: number, l: Layout, noise: number, rng: Rng, withSuperior: boolean) => {
  const k = l.w.length;
  const sup = new Float32Array(withSuperior ? n * l.dim : 0);
  const weak = new Float32Array(n * l.dim);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const z = Float64Array.from({ length: k }, () => rng.normal());
    let s = 0;
    for (let j = 0; j < k; j++) s += l.w[j]! * z[j]!;
    label[i] = s > 0 ? 1 : 0;
    for (let f = 0; f < l.dim; f++) {
      if (withSuperior) sup[i * l.dim + f] = noise * rng.normal();
      weak[i * l.dim + f] = noise * rng.normal();
    }
    for (let j = 0; j < k; j++) {
      if (withSuperior) sup[i * l.dim + l.posSup[j]!] = z[j]!;
    }
    // Only the modality-general decisive latents reach the weak modality.
    for (const j of l.general) weak[i * l.dim + l.posWeak[j]!] = z[j]!;
  }
  return { sup, weak, label };
};

/** Generates the scenario; the same seed gives the same bytes (`shift` 1, the default, is the stated target). */
export const generateGauss = (o: GaussOptions): ScenarioData => {
  const dim = o.dim ?? 500;
  const k = o.decisive ?? 50;
  const gamma = o.gamma ?? 0.5;
  const noise = o.noise ?? 1;
  const shift = resolveShift('gauss', o.shift);
  // 1 + 0.5 = 1.5 exactly: at shift 1 the same bytes as the constant 1.5 it replaces.
  const targetNoise = noise * (1 + 0.5 * shift);
  if (!(gamma >= 0 && gamma <= 1)) throw kapriError('InvalidConfig', `gauss: gamma must be in [0, 1], got ${gamma}`);
  if (!Number.isInteger(k) || k < 1 || k > dim)
    throw kapriError('InvalidConfig', `gauss: decisive features must be an integer in [1, ${dim}], got ${k}`);
  const root = createRng(o.seed);
  const l = layout(root.fork('layout'), dim, k, gamma);
  const sizes = resolveSizes('gauss', o, {
    sourceTrain: 2000,
    sourceVal: 300,
    sourceTest: 1000,
    targetTrain: 500,
    targetVal: 200,
    targetTest: 1000,
  });
  const source = (n: number, rng: Rng): PairedSource => {
    const d = draw(n, l, noise, rng, true);
    return {
      n,
      weak: { data: d.weak, shape: [dim] },
      superior: { data: d.sup, shape: [dim] },
      label: { kind: 'classes', data: d.label, classes: 2 },
    };
  };
  const target = (n: number, rng: Rng): Target => {
    const d = draw(n, l, targetNoise, rng, false);
    return { n, weak: { data: d.weak, shape: [dim] }, label: { kind: 'classes', data: d.label, classes: 2 } };
  };
  return {
    name: 'gauss',
    task: 'classification',
    metric: 'accuracy',
    higherIsBetter: true,
    ...assembleSplits(root, sizes, source, target),
    modalities: {
      weak: `features [${dim}] (share γ = ${gamma} of the decisive ones)`,
      superior: `features [${dim}] (all decisive)`,
    },
    notes: [
      `gauss: d = ${dim}, ${k} decisive features, γ = ${gamma}`,
      `gauss: the target's non-decisive features have noise scale ${Math.round(targetNoise * 1000) / 1000} (source ${noise}): the source → target shift ×${shift} (data.shift; 1 = the stated 1.5×, 0 = the source's distribution)`,
    ],
  };
};
