/**
 * A 21-joint articulated hand (wrist, then thumb CMC–MCP–IP–tip and four fingers MCP–PIP–DIP–tip),
 * posed by per-finger abduction and flexion within anatomical limits, then rotated and placed in
 * front of the camera. Units are millimetres in camera coordinates (x right, y up, z away).
 */
import type { Rng } from '../../core/rng.js';

export type Vec3 = [number, number, number];

export const JOINTS = 21;
/** Index of the wrist (the source's root) and of the middle-finger MCP (the target's palm root). */
export const WRIST = 0;
export const PALM_ROOT = 9;

interface Finger {
  readonly base: Vec3;
  readonly bones: readonly [number, number, number];
  readonly dir: Vec3;
  /** Direction flexion bends toward (roughly the palm side). */
  readonly bend: Vec3;
  readonly radius: number;
  readonly abduction: readonly [number, number];
}

const norm = (v: Vec3): Vec3 => {
  const l = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / l, v[1] / l, v[2] / l];
};
const add = (a: Vec3, b: Vec3, s = 1): Vec3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
/** Gram–Schmidt: the part of `b` orthogonal to unit `a`, normalised. */
const orth = (a: Vec3, b: Vec3): Vec3 => norm(add(b, a, -dot(a, b)));
const rad = (d: number): number => (d * Math.PI) / 180;

/** Hand-local geometry (palm in the x–y plane, fingers along +y, palm facing −z). */
export const FINGERS: readonly Finger[] = [
  {
    base: [22, 18, -6],
    bones: [38, 32, 27],
    dir: norm([0.75, 0.6, -0.25]),
    bend: [-0.6, 0.2, -0.75],
    radius: 10,
    abduction: [-10, 35],
  },
  { base: [25, 86, 0], bones: [40, 24, 20], dir: [0.08, 1, 0], bend: [0, 0, -1], radius: 9, abduction: [-15, 15] },
  { base: [5, 92, 0], bones: [44, 27, 21], dir: [0, 1, 0], bend: [0, 0, -1], radius: 9, abduction: [-12, 12] },
  { base: [-15, 86, 0], bones: [41, 26, 20], dir: [-0.08, 1, 0], bend: [0, 0, -1], radius: 8.5, abduction: [-12, 12] },
  { base: [-33, 75, 0], bones: [33, 20, 18], dir: [-0.2, 1, 0], bend: [0, 0, -1], radius: 7.5, abduction: [-20, 15] },
];

/** Joint angles of one pose, in degrees. */
export interface HandPose {
  readonly abduction: number[];
  /** [MCP, PIP, DIP] flexion per finger. */
  readonly flexion: [number, number, number][];
  /** Global rotation angles (roll about z, yaw about y, pitch about x). */
  readonly rotation: Vec3;
  readonly scale: number;
  /** Position of the palm centre in camera coordinates. */
  readonly position: Vec3;
}

/** Flexion limits [MCP, PIP, DIP] in degrees. */
export const FLEXION_LIMITS: readonly [[number, number], [number, number], [number, number]] = [
  [-10, 90],
  [0, 110],
  [0, 80],
];

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

/**
 * A random articulation: a global grasp level shared by the fingers plus per-finger variation, DIP
 * coupled to PIP (≈ 2/3) as in real hands, everything clamped to the joint limits.
 */
export const samplePose = (rng: Rng, distance: { mean: number; spread: number }): HandPose => {
  const grasp = rng.uniform();
  const flexion = FINGERS.map((): [number, number, number] => {
    const g = clamp(grasp + 0.35 * rng.normal(), 0, 1);
    const mcp = clamp(-10 + g * 95 + 8 * rng.normal(), ...FLEXION_LIMITS[0]);
    const pip = clamp(g * 105 + 10 * rng.normal(), ...FLEXION_LIMITS[1]);
    const dip = clamp((2 / 3) * pip + 6 * rng.normal(), ...FLEXION_LIMITS[2]);
    return [mcp, pip, dip];
  });
  return {
    abduction: FINGERS.map((f) => rng.range(f.abduction[0], f.abduction[1]) * (1 - 0.6 * grasp)),
    flexion,
    rotation: [rng.range(-60, 60), rng.range(-50, 50), rng.range(-45, 45)],
    scale: rng.range(0.9, 1.1),
    position: [rng.range(-15, 15), rng.range(-15, 15), distance.mean + distance.spread * rng.normal()],
  };
};

const rotate = (v: Vec3, axis: Vec3, angle: number): Vec3 => {
  // Rodrigues' formula.
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const k = cross(axis, v);
  const d = dot(axis, v) * (1 - c);
  return [v[0] * c + k[0] * s + axis[0] * d, v[1] * c + k[1] * s + axis[1] * d, v[2] * c + k[2] * s + axis[2] * d];
};

/** Joint positions in hand-local millimetres (wrist at the origin), before the global transform. */
export const localJoints = (pose: HandPose): Vec3[] => {
  const out: Vec3[] = [[0, 0, 0]];
  FINGERS.forEach((f, i) => {
    // Abduction turns the finger within the palm plane; flexion then bends each bone toward the palm.
    const base = rotate(f.dir, [0, 0, 1], rad(pose.abduction[i]!));
    const bendDir = orth(base, f.bend);
    let p: Vec3 = f.base;
    out.push(p);
    let phi = 0;
    f.bones.forEach((len, s) => {
      phi += rad(pose.flexion[i]![s]!);
      const d: Vec3 = add(
        [base[0] * Math.cos(phi), base[1] * Math.cos(phi), base[2] * Math.cos(phi)],
        bendDir,
        Math.sin(phi),
      );
      p = add(p, d, len);
      out.push(p);
    });
  });
  return out;
};

/** The centre of the palm in hand-local coordinates (mean of wrist and the four finger MCPs). */
const PALM_CENTRE: Vec3 = [0, 55, 0];

/** Joints in camera coordinates: scaled, rotated about the palm centre, then placed at `position`. */
export const cameraJoints = (pose: HandPose): Vec3[] => {
  const [roll, yaw, pitch] = pose.rotation.map(rad) as Vec3;
  return localJoints(pose).map((j) => {
    let v: Vec3 = [
      (j[0] - PALM_CENTRE[0]) * pose.scale,
      (j[1] - PALM_CENTRE[1]) * pose.scale,
      (j[2] - PALM_CENTRE[2]) * pose.scale,
    ];
    v = rotate(v, [0, 0, 1], roll);
    v = rotate(v, [0, 1, 0], yaw);
    v = rotate(v, [1, 0, 0], pitch);
    return add(v, pose.position);
  });
};
