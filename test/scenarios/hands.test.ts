import { describe, expect, it } from 'vitest';
import { generateHands } from '../../src/scenarios/hands/hands.js';
import { cameraJoints, samplePose, FLEXION_LIMITS, localJoints } from '../../src/scenarios/hands/handSkeleton.js';
import { renderHand, SIZE } from '../../src/scenarios/hands/handRender.js';
import { createRng } from '../../src/core/rng.js';
import { ridgeProbeMse } from './linearProbe.js';
import { expectDeterministicBySeed, expectShiftOneAsWithout } from '../support/scenarioBytes.js';
import { meanAbsStep } from '../support/meanAbsStep.js';
import { sourcePremise } from '../support/sourcePremise.js';

const small = { sourceTrain: 700, sourceVal: 10, sourceTest: 300, targetTrain: 50, targetVal: 10, targetTest: 50 };
const data = generateHands({ seed: 5, ...small });
const corr = (a: number[], b: number[]): number => {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0;
  let sa = 0;
  let sb = 0;
  a.forEach((v, i) => {
    sab += (v - ma) * (b[i]! - mb);
    sa += (v - ma) ** 2;
    sb += (b[i]! - mb) ** 2;
  });
  return sab / Math.sqrt(sa * sb || 1);
};
const appearance = {
  skin: [0.8, 0.6, 0.5] as [number, number, number],
  light: [0, 0, -1] as [number, number, number],
  ambient: 0.4,
  diffuse: 0.6,
  noise: 0.02,
  clutter: 3,
  saturation: 0.5,
};

describe('hands scenario', () => {
  it('has the documented shapes: RGB 32×32×3, depth 32×32×1, 21×3 keypoints; no superior modality on the target', () => {
    expect(data.source.train.weak.shape).toEqual([32, 32, 3]);
    expect(data.source.train.superior.shape).toEqual([32, 32, 1]);
    expect(data.source.train.label).toMatchObject({ kind: 'regression', shape: [21, 3] });
    expect('superior' in data.target.test).toBe(false);
  });

  it('is deterministic: the same seed gives the same bytes in every split, another seed other samples in every split', () => {
    expectDeterministicBySeed((seed) => generateHands({ seed, ...small, sourceTrain: 20 }), 9);
  });

  it('keeps joint angles within their limits and bone lengths fixed', () => {
    const rng = createRng(1);
    for (let k = 0; k < 200; k++) {
      const p = samplePose(rng, { mean: 450, spread: 30 });
      p.flexion.forEach((f) =>
        f.forEach((v, s) => expect(v >= FLEXION_LIMITS[s]![0] && v <= FLEXION_LIMITS[s]![1]).toBe(true)),
      );
      const j = localJoints(p);
      expect(Math.hypot(j[9]![0] - j[10]![0], j[9]![1] - j[10]![1], j[9]![2] - j[10]![2])).toBeCloseTo(44, 6);
    }
  });

  it('renders depth that tracks keypoint z: depth at a visible fingertip correlates with its z', () => {
    const rng = createRng(2);
    const depthAt: number[] = [];
    const tipZ: number[] = [];
    for (let k = 0; k < 300; k++) {
      const p = samplePose(rng, { mean: 450, spread: 60 });
      const j = cameraJoints(p);
      const r = renderHand(j, p.scale, { focal: 63 }, appearance, rng);
      const tip = j[12]!;
      const u = Math.floor((63 * tip[0]) / tip[2] + SIZE / 2);
      const v = Math.floor(SIZE / 2 - (63 * tip[1]) / tip[2]);
      if (u < 0 || v < 0 || u >= SIZE || v >= SIZE || !r.mask[v * SIZE + u]) continue;
      depthAt.push(r.depth[v * SIZE + u]! * 1000);
      tipZ.push(tip[2]);
    }
    expect(depthAt.length).toBeGreaterThan(100);
    expect(corr(depthAt, tipZ)).toBeGreaterThan(0.9);
  });

  it('moves the RGB silhouette with the pose, and skin differs from the background', () => {
    const rng = createRng(3);
    const cx: number[] = [];
    const jx: number[] = [];
    for (let k = 0; k < 200; k++) {
      const p = samplePose(rng, { mean: 450, spread: 30 });
      const j = cameraJoints(p);
      const r = renderHand(j, p.scale, { focal: 63 }, { ...appearance, clutter: 0 }, rng);
      let sx = 0;
      let n = 0;
      r.mask.forEach((m, i) => {
        if (m) {
          sx += i % SIZE;
          n++;
        }
      });
      if (n === 0) continue;
      cx.push(sx / n);
      jx.push(j.reduce((a, q) => a + (63 * q[0]) / q[2] + SIZE / 2, 0) / j.length);
    }
    expect(corr(cx, jx)).toBeGreaterThan(0.9);
  });

  it('leaks no label into any single pixel (no pixel correlates near-perfectly with a keypoint coordinate)', () => {
    const s = data.source.train;
    const n = 300;
    const lab = s.label!.data as Float32Array;
    let worst = 0;
    for (const [name, m, ch] of [
      ['depth', s.superior, 1],
      ['rgb', s.weak, 3],
    ] as const) {
      const px = 32 * 32 * ch;
      for (let p = 0; p < px; p += 7) {
        const xs = Array.from({ length: n }, (_, i) => m.data[i * px + p]!);
        for (let c = 0; c < 63; c += 4)
          worst = Math.max(
            worst,
            Math.abs(
              corr(
                xs,
                Array.from({ length: n }, (_, i) => lab[i * 63 + c]!),
              ),
            ),
          );
      }
      expect(worst, name).toBeLessThan(0.8);
    }
  });

  it('a linear probe recovers the pose better from depth than from RGB, and RGB still carries it', () => {
    const s = data.source;
    const n = 500;
    const lab = s.train.label!.data as Float32Array;
    const yTr = lab.subarray(0, n * 63);
    const yTe = s.test.label!.data as Float32Array;
    const variance =
      yTe.reduce((a, v) => a + v * v, 0) / yTe.length - (yTe.reduce((a, v) => a + v, 0) / yTe.length) ** 2;
    const depth = ridgeProbeMse(
      s.train.superior.data.subarray(0, n * 1024),
      yTr,
      s.test.superior.data,
      yTe,
      1024,
      63,
      1,
    );
    const rgb = ridgeProbeMse(s.train.weak.data.subarray(0, n * 3072), yTr, s.test.weak.data, yTe, 3072, 63, 30);
    expect(depth).toBeLessThan(rgb);
    expect(rgb).toBeLessThan(variance);
  });

  it('reproduces the premise: the depth teacher beats RGB alone, and CMKD is not below RGB alone (default source stage, seeds 1-2)', async () => {
    const mean = await sourcePremise(
      (seed, sourceTrain) => generateHands({ seed, sourceTrain, targetTrain: 5, targetVal: 5, targetTest: 5 }),
      [1, 2],
    );
    // AUC of 3D PCK: depth shows the hand's shape in metres, RGB a shaded silhouette over clutter.
    expect(mean.teacher - mean.studentNoKd).toBeGreaterThan(0.05);
    expect(mean.studentKd).toBeGreaterThanOrEqual(mean.studentNoKd);
  }, 400_000);
});

describe('hands: data.shift scales the rendering shift', () => {
  const sizes = { sourceTrain: 5, sourceVal: 5, sourceTest: 300, targetTrain: 5, targetVal: 5, targetTest: 300 };
  const mean = (x: Float32Array): number => x.reduce((a, b) => a + b, 0) / x.length;
  const roughness = (x: Float32Array): number => meanAbsStep(x, 3);
  const at = (shift: number) => generateHands({ seed: 3, ...sizes, shift });

  it('at shift 1 gives the same bytes as without the option (the stated target, in the same draw order)', () => {
    const small = { sourceTrain: 20, sourceVal: 5, sourceTest: 5, targetTrain: 20, targetVal: 5, targetTest: 5 };
    expectShiftOneAsWithout(generateHands, [
      { seed: 4, ...small },
      { seed: 4, ...small, targetRoot: 'wrist' as const },
    ]);
  });

  it("at shift 0 renders the target as the source (image mean and roughness within 2%), and a larger shift moves the target's roughness away monotonically", () => {
    const shifts = [0, 0.5, 1, 2, 4];
    const ds = shifts.map(at);
    const src = ds[0]!.source.test.weak.data;
    const tgt0 = ds[0]!.target.test.weak.data;
    expect(Math.abs(mean(tgt0) / mean(src) - 1)).toBeLessThan(0.02);
    expect(Math.abs(roughness(tgt0) / roughness(src) - 1)).toBeLessThan(0.02);
    const r = ds.map((d) => roughness(d.target.test.weak.data));
    r.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(r[i]!));
    expect(r[2]! / r[0]!).toBeGreaterThan(1.2);
  });

  it('states the camera distance, noise and clutter it used in the notes, and keeps the label root with targetRoot', () => {
    const small = { sourceTrain: 5, sourceVal: 5, sourceTest: 5, targetTrain: 5, targetVal: 5, targetTest: 5 };
    const note = (shift: number) => generateHands({ seed: 1, ...small, shift }).notes.join(' ');
    expect(note(0)).toMatch(/shift ×0 .*camera distance 450 ± 30 mm .*image noise σ 0\.03 .*2–6 clutter shapes/);
    expect(note(0.5)).toMatch(/camera distance 525 ± 35 mm/);
    expect(note(1)).toMatch(
      /shift ×1 .*camera distance 600 ± 40 mm .*image noise σ 0\.05 .*5–10 clutter shapes .*saturation 0\.9/,
    );
    expect(note(4)).toMatch(/saturation 1 /);
    expect(note(0)).toMatch(/middle-finger MCP on the target/);
  });

  it('is deterministic by seed at a shift other than 1', () => {
    const small = { sourceTrain: 20, sourceVal: 5, sourceTest: 5, targetTrain: 20, targetVal: 5, targetTest: 5 };
    expectDeterministicBySeed((seed) => generateHands({ seed, ...small, shift: 0.5 }), 9);
  });

  it.each([-0.5, Number.NaN, 4.5])('refuses shift %s, naming the range', (shift) => {
    expect(() => generateHands({ seed: 1, shift })).toThrow(/hands: shift must be a number in \[0, 4\].*got/);
  });
});
