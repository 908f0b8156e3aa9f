/**
 * Rendering a posed hand into a 32×32 depth map (the superior modality) and an RGB image (the weak
 * one). Bones are capsules and the palm a thick polygon; a pinhole camera projects them. Depth is
 * metric (metres) with 0 where nothing returns, like a depth sensor. RGB shades skin by a directional
 * light using normals from the depth surface and composites it over a cluttered background with noise.
 */
import type { Rng } from '../../core/rng.js';
import { FINGERS, type Vec3 } from './handSkeleton.js';

export const SIZE = 32;

export interface Camera {
  readonly focal: number;
}

export interface Appearance {
  /** Skin albedo (linear RGB in [0, 1]). */
  readonly skin: Vec3;
  /** Unit vector toward the light. */
  readonly light: Vec3;
  readonly ambient: number;
  readonly diffuse: number;
  readonly noise: number;
  /** Number of clutter shapes and their colour saturation. */
  readonly clutter: number;
  readonly saturation: number;
}

export interface Rendered {
  readonly depth: Float32Array; // [32, 32, 1]
  readonly rgb: Float32Array; // [32, 32, 3]
  readonly mask: Uint8Array; // [32, 32]
}

const project = (p: Vec3, cam: Camera): [number, number, number] => [
  (cam.focal * p[0]) / p[2] + SIZE / 2,
  SIZE / 2 - (cam.focal * p[1]) / p[2],
  p[2],
];

/** Fills `zbuf` with the nearest surface depth (mm) of a capsule between a and b. */
const drawCapsule = (zbuf: Float32Array, a: Vec3, b: Vec3, r: number, cam: Camera): void => {
  const [ua, va, za] = project(a, cam);
  const [ub, vb, zb] = project(b, cam);
  const rho = (r * cam.focal) / Math.min(za, zb);
  const x0 = Math.max(0, Math.floor(Math.min(ua, ub) - rho));
  const x1 = Math.min(SIZE - 1, Math.ceil(Math.max(ua, ub) + rho));
  const y0 = Math.max(0, Math.floor(Math.min(va, vb) - rho));
  const y1 = Math.min(SIZE - 1, Math.ceil(Math.max(va, vb) + rho));
  const du = ub - ua;
  const dv = vb - va;
  const len2 = du * du + dv * dv || 1e-9;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = Math.max(0, Math.min(1, ((px - ua) * du + (py - va) * dv) / len2));
      const z = za + t * (zb - za);
      const pr = (r * cam.focal) / z;
      const d = Math.hypot(px - (ua + t * du), py - (va + t * dv));
      if (d < pr) {
        const surface = z - r * Math.sqrt(1 - (d / pr) ** 2);
        const i = y * SIZE + x;
        if (surface < zbuf[i]!) zbuf[i] = surface;
      }
    }
  }
};

/** Fills a triangle with interpolated depth minus half the palm's thickness. */
const drawTriangle = (zbuf: Float32Array, p0: Vec3, p1: Vec3, p2: Vec3, cam: Camera, halfThickness: number): void => {
  const a = project(p0, cam);
  const b = project(p1, cam);
  const c = project(p2, cam);
  const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0], c[0])));
  const x1 = Math.min(SIZE - 1, Math.ceil(Math.max(a[0], b[0], c[0])));
  const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1], c[1])));
  const y1 = Math.min(SIZE - 1, Math.ceil(Math.max(a[1], b[1], c[1])));
  const det = (b[1] - c[1]) * (a[0] - c[0]) + (c[0] - b[0]) * (a[1] - c[1]);
  if (Math.abs(det) < 1e-9) return;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const l0 = ((b[1] - c[1]) * (px - c[0]) + (c[0] - b[0]) * (py - c[1])) / det;
      const l1 = ((c[1] - a[1]) * (px - c[0]) + (a[0] - c[0]) * (py - c[1])) / det;
      const l2 = 1 - l0 - l1;
      if (l0 < 0 || l1 < 0 || l2 < 0) continue;
      const z = l0 * a[2] + l1 * b[2] + l2 * c[2] - halfThickness;
      const i = y * SIZE + x;
      if (z < zbuf[i]!) zbuf[i] = z;
    }
  }
};

/** Depth in mm of the nearest hand surface per pixel (Infinity where the hand is absent). */
export const rasterize = (joints: readonly Vec3[], cam: Camera, scale: number): Float32Array => {
  const zbuf = new Float32Array(SIZE * SIZE).fill(Infinity);
  // Palm: a fan from the wrist over the finger bases (thumb CMC, index, middle, ring, pinky MCPs).
  const bases = [1, 5, 9, 13, 17].map((k) => joints[k]!);
  for (let k = 0; k + 1 < bases.length; k++) drawTriangle(zbuf, joints[0]!, bases[k]!, bases[k + 1]!, cam, 8 * scale);
  drawCapsule(zbuf, joints[0]!, joints[17]!, 10 * scale, cam);
  FINGERS.forEach((f, i) => {
    const j0 = 1 + 4 * i;
    for (let s = 0; s < 3; s++)
      drawCapsule(zbuf, joints[j0 + s]!, joints[j0 + s + 1]!, f.radius * scale * (1 - 0.1 * s), cam);
  });
  return zbuf;
};

/** A cluttered background: a random gradient plus rectangles and blobs of random colours. */
const background = (rng: Rng, a: Appearance): Float32Array => {
  const img = new Float32Array(SIZE * SIZE * 3);
  const c0 = [rng.uniform(), rng.uniform(), rng.uniform()];
  const c1 = [rng.uniform(), rng.uniform(), rng.uniform()];
  const gx = rng.range(-1, 1);
  const gy = rng.range(-1, 1);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const t = Math.max(0, Math.min(1, 0.5 + (gx * (x - 16) + gy * (y - 16)) / 32));
      for (let ch = 0; ch < 3; ch++) img[(y * SIZE + x) * 3 + ch] = c0[ch]! * (1 - t) + c1[ch]! * t;
    }
  }
  for (let k = 0; k < a.clutter; k++) {
    const grey = rng.uniform();
    const col = [0, 1, 2].map(() => grey * (1 - a.saturation) + rng.uniform() * a.saturation);
    const cx = rng.range(0, SIZE);
    const cy = rng.range(0, SIZE);
    const rx = rng.range(2, 9);
    const ry = rng.range(2, 9);
    const round = rng.uniform() < 0.5;
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(SIZE, Math.ceil(cy + ry)); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(SIZE, Math.ceil(cx + rx)); x++) {
        if (round && ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1) continue;
        for (let ch = 0; ch < 3; ch++) img[(y * SIZE + x) * 3 + ch] = col[ch]!;
      }
    }
  }
  return img;
};

/** Renders depth (with 2 mm sensor noise) and RGB for one posed hand. */
export const renderHand = (joints: readonly Vec3[], scale: number, cam: Camera, a: Appearance, rng: Rng): Rendered => {
  const zbuf = rasterize(joints, cam, scale);
  const depth = new Float32Array(SIZE * SIZE);
  const mask = new Uint8Array(SIZE * SIZE);
  for (let i = 0; i < zbuf.length; i++) {
    if (Number.isFinite(zbuf[i]!)) {
      mask[i] = 1;
      depth[i] = (zbuf[i]! + 2 * rng.normal()) / 1000;
    }
  }
  const rgb = background(rng, a);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x;
      if (!mask[i]) continue;
      // Surface normal from depth differences; a pixel spans z/f millimetres.
      const z = zbuf[i]!;
      const zr = x + 1 < SIZE && mask[i + 1] ? zbuf[i + 1]! : z;
      const zl = x > 0 && mask[i - 1] ? zbuf[i - 1]! : z;
      const zd = y + 1 < SIZE && mask[i + SIZE] ? zbuf[i + SIZE]! : z;
      const zu = y > 0 && mask[i - SIZE] ? zbuf[i - SIZE]! : z;
      const px = z / cam.focal;
      const n: Vec3 = [-(zr - zl) / (2 * px), (zd - zu) / (2 * px), -1];
      const nl = Math.hypot(n[0], n[1], n[2]);
      const lambert = Math.max(0, (n[0] * a.light[0] + n[1] * a.light[1] + n[2] * a.light[2]) / nl);
      const shade = a.ambient + a.diffuse * lambert;
      for (let ch = 0; ch < 3; ch++) rgb[i * 3 + ch] = a.skin[ch]! * shade;
    }
  }
  for (let k = 0; k < rgb.length; k++) rgb[k] = Math.max(0, Math.min(1, rgb[k]! + a.noise * rng.normal()));
  return { depth, rgb, mask };
};
