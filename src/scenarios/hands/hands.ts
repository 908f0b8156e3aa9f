/**
 * `hands` (RHD → STB-like): 21-joint 3D hand pose from RGB (weak) with depth as the superior modality
 * on the source. Labels are 21×3 keypoints in mm, root-relative: the wrist on the source (rendered,
 * RHD-like), the palm (middle MCP) on the target (STB-like), which also differs in camera distance,
 * lighting, skin tones and backgrounds, and has few labels.
 * The premise it must reproduce: depth shows the hand's surface in metres where RGB shows a shaded
 * silhouette over clutter, so the depth teacher beats the RGB student trained alone, and distillation on
 * the unlabelled pairs carries part of that to the RGB student. The shift (`targetRoot`, camera distance
 * 450 → 600 mm, lighting, skins, backgrounds) is in the two domains below; `wrist` removes the label shift.
 * `shift` (src/scenarios/targetShift.ts) scales the rendering part: camera distance (mean 450 → 600 mm,
 * spread 30 → 40), light direction ranges, ambient and diffuse ranges, skin tones, image noise
 * σ 0.03 → 0.05, clutter shapes 2–6 → 5–10 and their saturation 0.6 → 0.9, each `source·(1 − shift) +
 * target·shift`; the root joint stays with `targetRoot`.
 *
 * @example
 * const data = generateHands({ seed: 1 });   // data.source.train.n === 2000 by default
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { Labels, PairedSource, Target } from '../../data/dataset.js';
import type { ScenarioData } from '../scenario.js';
import { assembleSplits, resolveSizes, type ScenarioOptions } from '../splitSizes.js';
import { resolveShift, type ShiftOption, shifted, shiftedRange } from '../targetShift.js';
import { JOINTS, PALM_ROOT, WRIST, cameraJoints, samplePose, type Vec3 } from './handSkeleton.js';
import { renderHand, SIZE, type Appearance } from './handRender.js';

export type HandsOptions = ScenarioOptions &
  ShiftOption & {
    /**
     * The target's label root (default `palm`, as STB). `wrist` matches the source's root: an ablation
     * that removes the label shift to test how much of the source's knowledge it blocks.
     */
    readonly targetRoot?: 'palm' | 'wrist';
  };

interface Domain {
  readonly distance: { mean: number; spread: number };
  readonly root: number;
  readonly skins: readonly Vec3[];
  readonly light: () => Vec3;
  readonly ambient: [number, number];
  readonly diffuse: [number, number];
  readonly noise: number;
  readonly clutter: [number, number];
  readonly saturation: number;
}

const FOCAL = 63;

const unit = (v: Vec3): Vec3 => {
  const l = Math.hypot(...v);
  return [v[0] / l, v[1] / l, v[2] / l];
};

/** What differs between the domains: each is shifted from the source's value toward the target's. */
interface DomainParams {
  readonly distance: { readonly mean: number; readonly spread: number };
  readonly skins: readonly (readonly [number, number, number])[];
  /** The light direction's x and y components are drawn from these ranges (z is −1). */
  readonly lightX: readonly [number, number];
  readonly lightY: readonly [number, number];
  readonly ambient: readonly [number, number];
  readonly diffuse: readonly [number, number];
  readonly noise: number;
  readonly clutter: readonly [number, number];
  readonly saturation: number;
}

/** The source (RHD-like: rendered, near, light skins, sparse clutter). */
const SOURCE: DomainParams = {
  distance: { mean: 450, spread: 30 },
  skins: [
    [0.87, 0.68, 0.56],
    [0.78, 0.57, 0.44],
    [0.95, 0.78, 0.66],
  ],
  lightX: [-0.6, -0.1],
  lightY: [0.1, 0.6],
  ambient: [0.35, 0.5],
  diffuse: [0.5, 0.7],
  noise: 0.03,
  clutter: [2, 6],
  saturation: 0.6,
};
/** The target at `shift` 1 (STB-like: farther, other lighting, darker skins, busier backgrounds, noisier). */
const TARGET: DomainParams = {
  distance: { mean: 600, spread: 40 },
  skins: [
    [0.55, 0.38, 0.28],
    [0.66, 0.47, 0.36],
    [0.45, 0.3, 0.22],
  ],
  lightX: [0.2, 0.8],
  lightY: [-0.5, 0.2],
  ambient: [0.25, 0.4],
  diffuse: [0.6, 0.9],
  noise: 0.05,
  clutter: [5, 10],
  saturation: 0.9,
};

/** A domain's rendering parameters `s` of the way from the source's to the stated target's (clamped to their ranges). */
const domainAt = (s: number, root: number, rng: Rng): Domain => {
  const lightX = shiftedRange(SOURCE.lightX, TARGET.lightX, s);
  const lightY = shiftedRange(SOURCE.lightY, TARGET.lightY, s);
  const clutter = shiftedRange(SOURCE.clutter, TARGET.clutter, s, [0, Infinity]).map(Math.round) as [number, number];
  return {
    distance: {
      mean: shifted(SOURCE.distance.mean, TARGET.distance.mean, s, [100, Infinity]),
      spread: shifted(SOURCE.distance.spread, TARGET.distance.spread, s, [0, Infinity]),
    },
    root,
    skins: SOURCE.skins.map((skin, k) => skin.map((c, ch) => shifted(c, TARGET.skins[k]![ch]!, s, [0, 1])) as Vec3),
    light: () => unit([rng.range(...lightX), rng.range(...lightY), -1]),
    ambient: shiftedRange(SOURCE.ambient, TARGET.ambient, s, [0, Infinity]),
    diffuse: shiftedRange(SOURCE.diffuse, TARGET.diffuse, s, [0, Infinity]),
    noise: shifted(SOURCE.noise, TARGET.noise, s, [0, Infinity]),
    clutter: [clutter[0], Math.max(clutter[0], clutter[1])],
    saturation: shifted(SOURCE.saturation, TARGET.saturation, s, [0, 1]),
  };
};

/**
 * The two domains; one `rng` (the `lighting` stream) draws both domains' light directions. The target
 * is `domainAt(shift)`; the source is `domainAt(0)`, which is the source's constants bit for bit.
 */
const domains = (rng: Rng, shift: number, targetRoot: number): { source: Domain; target: Domain } => ({
  source: domainAt(0, WRIST, rng),
  target: domainAt(shift, targetRoot, rng),
});

const generateDomain = (
  n: number,
  d: Domain,
  rng: Rng,
  withSuperior: boolean,
): { weak: Float32Array; superior: Float32Array; label: Float32Array } => {
  const weak = new Float32Array(n * SIZE * SIZE * 3);
  const superior = withSuperior ? new Float32Array(n * SIZE * SIZE) : new Float32Array(0);
  const label = new Float32Array(n * JOINTS * 3);
  for (let i = 0; i < n; i++) {
    const pose = samplePose(rng, d.distance);
    const joints = cameraJoints(pose);
    const skin = d.skins[rng.int(d.skins.length)]!;
    const tone = rng.range(0.9, 1.1);
    const a: Appearance = {
      skin: [skin[0] * tone, skin[1] * tone, skin[2] * tone],
      light: d.light(),
      ambient: rng.range(...d.ambient),
      diffuse: rng.range(...d.diffuse),
      noise: d.noise,
      clutter: d.clutter[0] + rng.int(d.clutter[1] - d.clutter[0] + 1),
      saturation: d.saturation,
    };
    const r = renderHand(joints, pose.scale, { focal: FOCAL }, a, rng);
    weak.set(r.rgb, i * SIZE * SIZE * 3);
    if (withSuperior) superior.set(r.depth, i * SIZE * SIZE);
    const root = joints[d.root]!;
    joints.forEach((j, k) => {
      label[(i * JOINTS + k) * 3] = j[0] - root[0];
      label[(i * JOINTS + k) * 3 + 1] = j[1] - root[1];
      label[(i * JOINTS + k) * 3 + 2] = j[2] - root[2];
    });
  }
  return { weak, superior, label };
};

const regression = (data: Float32Array): Labels => ({ kind: 'regression', data, shape: [JOINTS, 3] });

const source = (n: number, d: Domain, rng: Rng): PairedSource => {
  const g = generateDomain(n, d, rng, true);
  return {
    n,
    weak: { data: g.weak, shape: [SIZE, SIZE, 3] },
    superior: { data: g.superior, shape: [SIZE, SIZE, 1] },
    label: regression(g.label),
  };
};

const target = (n: number, d: Domain, rng: Rng): Target => {
  // The target never renders a superior modality: there is none to have.
  const g = generateDomain(n, d, rng, false);
  return { n, weak: { data: g.weak, shape: [SIZE, SIZE, 3] }, label: regression(g.label) };
};

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** What the target's rendering is at this shift, for the report's notes. */
const shiftNote = (shift: number, t: Domain): string =>
  `hands: source → target shift ×${shift} (data.shift; 1 = the stated target, 0 = the source's rendering): camera distance ${round(t.distance.mean)} ± ${round(t.distance.spread)} mm (source 450 ± 30), image noise σ ${round(t.noise)} (0.03), ${t.clutter[0]}–${t.clutter[1]} clutter shapes (2–6) of saturation ${round(t.saturation)} (0.6), lighting and skin tones moved as far; the root joint is set by data.handsTargetRoot`;

/** Generates the scenario; the same seed gives the same bytes (`shift` 1, the default, is the stated target). */
export const generateHands = (o: HandsOptions): ScenarioData => {
  const sizes = resolveSizes('hands', o, {
    sourceTrain: 2000,
    sourceVal: 300,
    sourceTest: 500,
    targetTrain: 500,
    targetVal: 200,
    targetTest: 500,
  });
  const shift = resolveShift('hands', o.shift);
  const root = createRng(o.seed);
  const dom = domains(root.fork('lighting'), shift, o.targetRoot === 'wrist' ? WRIST : PALM_ROOT);
  return {
    name: 'hands',
    task: 'regression',
    metric: 'auc',
    higherIsBetter: true,
    ...assembleSplits(
      root,
      sizes,
      (n, rng) => source(n, dom.source, rng),
      (n, rng) => target(n, dom.target, rng),
    ),
    modalities: { weak: 'RGB 32×32×3', superior: 'depth 32×32×1 (m)' },
    notes: [
      `keypoints are root-relative in mm: wrist on the source, ${o.targetRoot === 'wrist' ? 'wrist (the label-shift ablation)' : 'middle-finger MCP'} on the target`,
      shiftNote(shift, dom.target),
    ],
  };
};
