/**
 * `actions` (NTU/JHMDB-like, Thoker & Gall's setting): a 21-joint body performs one of five actions
 * (wave, clap, jump, squat, walk) over T = 16 frames with random speed, phase, amplitude and body
 * size. The superior modality is the rendered frames (silhouette strokes, [32, 32, T]: time as channels);
 * the weak one is the 3D pose sequence as a pose estimator reports it ([T, 63]). Source and target
 * differ in viewpoint (camera yaw 40–80° instead of ±20°), body proportions and speed. Source pairs can
 * be used unlabelled by the ensemble (labels are there for the baselines).
 * The premise it must reproduce (Thoker & Gall): the video teacher is clearly better than the pose
 * student trained alone, because the estimator's errors (POSE_ERRORS: 0.2 m jitter, 40% of joints
 * missed and reported at the origin, 30% of frames with left and right swapped) corrupt the pose and
 * not the frames, and distillation carries part of the difference to the pose student. Amplitudes from
 * 0.3 make small movements hard to tell apart. On the source stage of the `default` preset, seeds 1–6:
 * teacher 0.993, pose alone 0.856, CMKD 0.895 (with the estimator's errors at 0.02 m jitter and none
 * missed or swapped, pose alone scored 0.999 and nothing was left to rank).
 * `shift` (src/scenarios/targetShift.ts) scales the source → target shift: each end of the camera yaw
 * range (±20° → 40–80°, kept within ±180°), of the body scale (0.9–1.1 → 0.75–0.95, at least 0.1) and
 * of the speed (0.5–0.9 → 0.7–1.2 rad per frame, at least 0) is `source·(1 − shift) + target·shift`.
 * The estimator's errors are the same on both sides and are not shifted.
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { PairedSource, Target } from '../../data/dataset.js';
import type { ScenarioData } from '../scenario.js';
import { assembleSplits, resolveSizes, type ScenarioOptions } from '../splitSizes.js';
import { resolveShift, type ShiftOption, shiftedRange } from '../targetShift.js';

export const FRAMES = 16;
export const ACTIONS = ['wave', 'clap', 'jump', 'squat', 'walk'] as const;
const SIZE = 32;

type V = [number, number, number];

/** Rest pose in metres (y up), 21 joints: pelvis, spine, chest, neck, head, arms (shoulder→hand), legs (hip→foot). */
const REST: V[] = [
  [0, 1.0, 0],
  [0, 1.2, 0],
  [0, 1.4, 0],
  [0, 1.55, 0],
  [0, 1.7, 0],
  [-0.2, 1.5, 0],
  [-0.22, 1.22, 0],
  [-0.23, 0.98, 0],
  [-0.23, 0.9, 0],
  [0.2, 1.5, 0],
  [0.22, 1.22, 0],
  [0.23, 0.98, 0],
  [0.23, 0.9, 0],
  [-0.1, 0.95, 0],
  [-0.1, 0.5, 0],
  [-0.1, 0.08, 0],
  [-0.1, 0.02, 0.12],
  [0.1, 0.95, 0],
  [0.1, 0.5, 0],
  [0.1, 0.08, 0],
  [0.1, 0.02, 0.12],
];
const BONES: [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [2, 5],
  [5, 6],
  [6, 7],
  [7, 8],
  [2, 9],
  [9, 10],
  [10, 11],
  [11, 12],
  [0, 13],
  [13, 14],
  [14, 15],
  [15, 16],
  [0, 17],
  [17, 18],
  [18, 19],
  [19, 20],
];

/** Joint positions of one frame of an action at phase φ (radians) with amplitude a. */
const pose = (action: number, phi: number, a: number, t: number): V[] => {
  const p = REST.map((j) => [...j] as V);
  const s = Math.sin(phi);
  const c = Math.cos(phi);
  switch (ACTIONS[action]) {
    case 'wave': // right arm up, forearm sweeping
      p[10] = [0.35, 1.75, 0];
      p[11] = [0.35 + 0.25 * a * s, 2.0, 0];
      p[12] = [0.36 + 0.3 * a * s, 2.07, 0];
      break;
    case 'clap': {
      const open = 0.05 + (0.25 * a * (1 + s)) / 2;
      p[6] = [-0.2, 1.3, 0.25];
      p[10] = [0.2, 1.3, 0.25];
      p[7] = [-open, 1.35, 0.45];
      p[8] = [-open, 1.38, 0.5];
      p[11] = [open, 1.35, 0.45];
      p[12] = [open, 1.38, 0.5];
      break;
    }
    case 'jump': {
      const h = 0.25 * a * Math.max(0, s);
      for (const j of p) j[1] += h;
      p[7] = [-0.3, 1.7 + h, 0];
      p[8] = [-0.3, 1.8 + h, 0];
      p[11] = [0.3, 1.7 + h, 0];
      p[12] = [0.3, 1.8 + h, 0];
      break;
    }
    case 'squat': {
      const d = (0.3 * a * (1 - c)) / 2;
      for (let k = 0; k <= 12; k++) p[k]![1] -= d;
      p[13]![1] -= d;
      p[17]![1] -= d;
      p[14] = [-0.1, 0.5 - d / 2, (0.3 * d) / 0.3];
      p[18] = [0.1, 0.5 - d / 2, (0.3 * d) / 0.3];
      break;
    }
    case 'walk': {
      const fwd = 0.5 * t;
      for (const j of p) j[2] += fwd;
      p[14]![2] += 0.15 * a * s;
      p[15]![2] += 0.3 * a * s;
      p[16]![2] += 0.3 * a * s;
      p[18]![2] -= 0.15 * a * s;
      p[19]![2] -= 0.3 * a * s;
      p[20]![2] -= 0.3 * a * s;
      p[7]![2] -= 0.2 * a * s;
      p[8]![2] -= 0.22 * a * s;
      p[11]![2] += 0.2 * a * s;
      p[12]![2] += 0.22 * a * s;
      break;
    }
  }
  return p;
};

/** The joint each joint is taken for when an estimator swaps left and right (arms 5-8 ↔ 9-12, legs 13-16 ↔ 17-20). */
const MIRROR = Array.from({ length: 21 }, (_, k) =>
  (k >= 5 && k <= 8) || (k >= 13 && k <= 16) ? k + 4 : (k >= 9 && k <= 12) || (k >= 17 && k <= 20) ? k - 4 : k,
);

/** Pose-estimation errors: jitter (m), the chance a joint is missed, the chance a frame swaps left and right. */
const POSE_ERRORS = { jitter: 0.2, miss: 0.4, swap: 0.3 };

const rotateY = (v: V, yaw: number): V => [
  v[0] * Math.cos(yaw) + v[2] * Math.sin(yaw),
  v[1],
  -v[0] * Math.sin(yaw) + v[2] * Math.cos(yaw),
];

/** Draws the bones of one frame as strokes into a 32×32 channel t of an [32, 32, T] image. */
const render = (joints: V[], img: Float32Array, o: number, t: number): void => {
  const px = (v: V): [number, number] => [SIZE / 2 + (v[0] / 2.4) * SIZE, SIZE - 1 - (v[1] / 2.4) * SIZE - 2];
  for (const [a, b] of BONES) {
    const [x0, y0] = px(joints[a]!);
    const [x1, y1] = px(joints[b]!);
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2) + 1;
    for (let k = 0; k <= steps; k++) {
      const x = Math.round(x0 + ((x1 - x0) * k) / steps);
      const y = Math.round(y0 + ((y1 - y0) * k) / steps);
      if (x >= 0 && y >= 0 && x < SIZE && y < SIZE) img[o + (y * SIZE + x) * FRAMES + t] = 1;
    }
  }
};

interface Domain {
  readonly yaw: [number, number];
  readonly scale: [number, number];
  readonly speed: [number, number];
}

const sequences = (n: number, d: Domain, rng: Rng, withFrames: boolean) => {
  const frames = new Float32Array(withFrames ? n * SIZE * SIZE * FRAMES : 0);
  const poses = new Float32Array(n * FRAMES * 63);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const action = rng.int(ACTIONS.length);
    label[i] = action;
    const yaw = (rng.range(...d.yaw) * Math.PI) / 180;
    const scale = rng.range(...d.scale);
    const speed = rng.range(...d.speed);
    const phase = rng.range(0, 2 * Math.PI);
    const amp = rng.range(0.3, 1.2);
    for (let t = 0; t < FRAMES; t++) {
      const joints = pose(action, phase + speed * t, amp, t / FRAMES).map((j) =>
        rotateY([j[0] * scale, j[1] * scale, j[2] * scale], yaw),
      );
      // What a pose estimator gets wrong and a camera does not: jitter, missed joints (reported at
      // the origin, as detectors do), and left/right limbs swapped for a frame.
      const swapped = rng.uniform() < POSE_ERRORS.swap;
      joints.forEach((_, k) => {
        const src = joints[swapped ? MIRROR[k]! : k]!;
        const missed = rng.uniform() < POSE_ERRORS.miss;
        for (let c = 0; c < 3; c++)
          poses[((i * FRAMES + t) * 21 + k) * 3 + c] = missed ? 0 : src[c]! + POSE_ERRORS.jitter * rng.normal();
      });
      if (withFrames) render(joints, frames, i * SIZE * SIZE * FRAMES, t);
    }
  }
  return { frames, poses, label };
};

export type ActionsOptions = ScenarioOptions & ShiftOption;

/** Viewpoint, body scale and speed of the source, and of the target at `shift` 1. */
const SOURCE: Domain = { yaw: [-20, 20], scale: [0.9, 1.1], speed: [0.5, 0.9] };
const TARGET: Domain = { yaw: [40, 80], scale: [0.75, 0.95], speed: [0.7, 1.2] };

/** The target's ranges `shift` of the way from the source's to the stated target's, clamped to valid ones. */
const targetAt = (shift: number): Domain => ({
  yaw: shiftedRange(SOURCE.yaw, TARGET.yaw, shift, [-180, 180]),
  scale: shiftedRange(SOURCE.scale, TARGET.scale, shift, [0.1, Infinity]),
  speed: shiftedRange(SOURCE.speed, TARGET.speed, shift, [0, Infinity]),
});

const span = (r: readonly [number, number]): string =>
  `${Math.round(r[0] * 100) / 100} to ${Math.round(r[1] * 100) / 100}`;

/** Generates the scenario; the same seed gives the same bytes (`shift` 1, the default, is the stated target). */
export const generateActions = (o: ActionsOptions): ScenarioData => {
  const sizes = resolveSizes('actions', o, {
    sourceTrain: 1500,
    sourceVal: 200,
    sourceTest: 400,
    targetTrain: 400,
    targetVal: 150,
    targetTest: 400,
  });
  const shift = resolveShift('actions', o.shift);
  const root = createRng(o.seed);
  const src = SOURCE;
  const tgt = targetAt(shift);
  const source = (n: number, rng: Rng): PairedSource => {
    const s = sequences(n, src, rng, true);
    return {
      n,
      weak: { data: s.poses, shape: [FRAMES, 63] },
      superior: { data: s.frames, shape: [SIZE, SIZE, FRAMES] },
      label: { kind: 'classes', data: s.label, classes: ACTIONS.length },
    };
  };
  const target = (n: number, rng: Rng): Target => {
    const s = sequences(n, tgt, rng, false);
    return {
      n,
      weak: { data: s.poses, shape: [FRAMES, 63] },
      label: { kind: 'classes', data: s.label, classes: ACTIONS.length },
    };
  };
  return {
    name: 'actions',
    task: 'classification',
    metric: 'accuracy',
    higherIsBetter: true,
    ...assembleSplits(root, sizes, source, target),
    modalities: { weak: `3D pose ${FRAMES}×21×3`, superior: `frames 32×32×${FRAMES} (time as channels)` },
    notes: [
      `actions: ${ACTIONS.join(', ')}; the target is filmed from ${span(tgt.yaw)}° yaw (source ${span(src.yaw)}°) with body scale ${span(tgt.scale)} (${span(src.scale)}) at speed ${span(tgt.speed)} rad per frame (${span(src.speed)}): the source → target shift ×${shift} (data.shift; 1 = the stated target, 0 = the source's distribution)`,
    ],
  };
};
