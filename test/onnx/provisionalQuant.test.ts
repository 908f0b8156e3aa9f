/** The scale of a tensor that only its readers pin: every accepted scale reproduces the producer's multipliers. */
import { describe, expect, it } from 'vitest';
import { addScaleOk, averageScaleOk, provisional } from '../../src/onnx/provisionalQuant.js';

const f = Math.fround;
const next = (x: number): number => {
  const a = Float32Array.of(x);
  const u = new Uint32Array(a.buffer);
  u[0]! += 1;
  return a[0]!;
};

describe('provisional quantization', () => {
  it('accepts exactly the scales s with f32(count·s) = the declared scale, and has a fallback among them', () => {
    // Two neighbouring float32 scales that 9·s rounds to one declared scale.
    let s = f(0.05);
    while (f(9 * s) !== f(9 * next(s))) s = next(s);
    const declared = f(9 * s);
    const p = provisional(-3, declared / 9, averageScaleOk(9, declared))!;
    expect(p.accepts({ scale: s, zeroPoint: -3 })).toBe(true);
    expect(p.accepts({ scale: next(s), zeroPoint: -3 })).toBe(true);
    expect(p.accepts({ scale: s, zeroPoint: -2 })).toBe(false);
    expect(p.accepts({ scale: 0.06, zeroPoint: -3 })).toBe(false);
    expect(averageScaleOk(9, declared)(p.fallback.scale)).toBe(true);
    expect(p.fallback.zeroPoint).toBe(-3);
  });

  it('finds the output scale of an add from its two multipliers, and none when they disagree', () => {
    const [sa, sb, sy] = [f(0.03), f(0.07), f(0.05)];
    const [ma, mb] = [f(sa / sy), f(sb / sy)];
    const p = provisional(4, sa / ma, addScaleOk(sa, ma, sb, mb))!;
    expect(p.accepts({ scale: sy, zeroPoint: 4 })).toBe(true);
    expect(addScaleOk(sa, ma, sb, mb)(p.fallback.scale)).toBe(true);
    expect(provisional(4, sa / ma, addScaleOk(sa, ma, sb, f(mb * 1.5)))).toBeNull();
  });
});
