/**
 * `hands` (RHD → STB-like): 21-joint 3D hand pose from RGB (weak) with depth as the superior modality
 * on the source. Labels are 21×3 keypoints in mm, root-relative: the wrist on the source (rendered,
 * RHD-like), the palm (middle MCP) on the target (STB-like), which also differs in camera distance,
 * lighting, skin tones and backgrounds, and has few labels.
 * The premise it must reproduce: depth shows the hand's surface in metres where RGB shows a shaded
 * silhouette over clutter, so the depth teacher beats the RGB student trained alone, and distillation on
 * the unlabelled pairs carries part of that to the RGB student. The shift (`targetRoot`, camera distance
 * 450 → 600 mm, lighting, skins, backgrounds) is in the two domains below; `wrist` removes the label shift.
 *
 * @example
 * const data = generateHands({ seed: 1 });   // data.source.train.n === 2000 by default
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { Labels, PairedSource, Target } from '../../data/dataset.js';
import type { ScenarioData } from '../scenario.js';
import { assembleSplits, resolveSizes, type ScenarioOptions } from '../splitSizes.js';
import { JOINTS, PALM_ROOT, WRIST, cameraJoints, samplePose, type Vec3 } from './handSkeleton.js';
import { renderHand, SIZE, type Appearance } from './handRender.js';

export type HandsOptions = ScenarioOptions & {
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

const domains = (rng: Rng): { source: Domain; target: Domain } => ({
  source: {
    distance: { mean: 450, spread: 30 },
    root: WRIST,
    skins: [
      [0.87, 0.68, 0.56],
      [0.78, 0.57, 0.44],
      [0.95, 0.78, 0.66],
    ],
    light: () => unit([rng.range(-0.6, -0.1), rng.range(0.1, 0.6), -1]),
    ambient: [0.35, 0.5],
    diffuse: [0.5, 0.7],
    noise: 0.03,
    clutter: [2, 6],
    saturation: 0.6,
  },
  target: {
    distance: { mean: 600, spread: 40 },
    root: PALM_ROOT,
    skins: [
      [0.55, 0.38, 0.28],
      [0.66, 0.47, 0.36],
      [0.45, 0.3, 0.22],
    ],
    light: () => unit([rng.range(0.2, 0.8), rng.range(-0.5, 0.2), -1]),
    ambient: [0.25, 0.4],
    diffuse: [0.6, 0.9],
    noise: 0.05,
    clutter: [5, 10],
    saturation: 0.9,
  },
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

/** Generates the scenario; the same seed gives the same bytes. */
export const generateHands = (o: HandsOptions): ScenarioData => {
  const sizes = resolveSizes('hands', o, {
    sourceTrain: 2000,
    sourceVal: 300,
    sourceTest: 500,
    targetTrain: 500,
    targetVal: 200,
    targetTest: 500,
  });
  const root = createRng(o.seed);
  const dom = domains(root.fork('lighting'));
  const targetDomain = o.targetRoot === 'wrist' ? { ...dom.target, root: WRIST } : dom.target;
  return {
    name: 'hands',
    task: 'regression',
    metric: 'auc',
    higherIsBetter: true,
    ...assembleSplits(
      root,
      sizes,
      (n, rng) => source(n, dom.source, rng),
      (n, rng) => target(n, targetDomain, rng),
    ),
    modalities: { weak: 'RGB 32×32×3', superior: 'depth 32×32×1 (m)' },
    notes: [
      `keypoints are root-relative in mm: wrist on the source, ${o.targetRoot === 'wrist' ? 'wrist (the label-shift ablation)' : 'middle-finger MCP'} on the target`,
    ],
  };
};
