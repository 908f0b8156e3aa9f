/**
 * Sample previews for reports: each sample's superior modality (depth, as grey) beside its weak one
 * (RGB), scaled up, one row per sample.
 */
import { encodePng } from './png.js';

/** Normalised grey of a one-channel map (0 stays black: no return). */
const greyOf = (v: number, lo: number, hi: number): number =>
  v === 0 ? 0 : Math.round(255 * (1 - (v - lo) / Math.max(hi - lo, 1e-9)) * 0.8 + 40);

/**
 * A PNG of `count` samples: depth [H, W, 1] and RGB [H, W, 3] side by side, each pixel `scale`×`scale`.
 */
export const previewPng = (
  depth: Float32Array,
  rgb: Float32Array,
  h: number,
  w: number,
  count: number,
  scale = 4,
): Uint8Array => {
  const W = 2 * w * scale + scale;
  const H = count * h * scale + (count - 1) * scale;
  const out = new Uint8Array(W * H * 3).fill(255);
  for (let s = 0; s < count; s++) {
    const d = depth.subarray(s * h * w, (s + 1) * h * w);
    const nz = Array.from(d).filter((v) => v > 0);
    const lo = nz.length ? Math.min(...nz) : 0;
    const hi = nz.length ? Math.max(...nz) : 1;
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const src = Math.floor(y / scale) * w + Math.floor(x / scale);
        const row = s * (h * scale + scale) + y;
        const g = greyOf(d[src]!, lo, hi);
        out.set([g, g, g], (row * W + x) * 3);
        const c = rgb.subarray((s * h * w + src) * 3, (s * h * w + src) * 3 + 3);
        out.set(
          [Math.round(c[0]! * 255), Math.round(c[1]! * 255), Math.round(c[2]! * 255)],
          (row * W + w * scale + scale + x) * 3,
        );
      }
    }
  }
  return encodePng(W, H, out);
};
