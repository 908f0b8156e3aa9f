import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import type { ConvGeometry } from '../../src/kernels/convGeometry.js';
import { loadKernels } from '../../src/kernels/loader.js';
import { runCall, serialRunner } from '../../src/kernels/parallel.js';
import { addCall, avgPoolCall, maxPoolCall, qs8AddAt, qs8AvgPoolAt, qs8MaxPoolAt } from '../../src/kernels/qs8Pool.js';
import { thrown } from '../support/thrown.js';

const g: ConvGeometry = { inShape: [1, 6, 5, 16], kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: 'same' };
const pq = { xScale: 0.05, yScale: 0.04, xZeroPoint: -3, yZeroPoint: 5 };
const aq = { aScale: 0.05, bScale: 0.07, yScale: 0.06, aZeroPoint: 4, bZeroPoint: -9, yZeroPoint: 2 };
const codes = (n: number, m: number) => Int8Array.from({ length: n }, (_, i) => ((i * m) % 256) - 128);

describe('planned pooling and add calls', () => {
  it('run to the same codes as the checked-per-call wrappers, called again and again', async () => {
    const k = await loadKernels();
    const n = 6 * 5 * 16;
    const out = 3 * 3 * 16;
    const [x, b, y1, y2] = [n, n, n, n].map((s) => k.arena.alloc(s)) as [never, never, never, never];
    k.arena.i8(x, n).set(codes(n, 37));
    k.arena.i8(b, n).set(codes(n, 59));
    const runner = serialRunner(k);
    const cases: [() => void, ReturnType<typeof maxPoolCall>, number][] = [
      [() => qs8MaxPoolAt(k, g, x, y1), maxPoolCall(k, g, x, y2), out],
      [() => qs8AvgPoolAt(k, g, pq, x, y1), avgPoolCall(k, g, pq, x, y2), out],
      [() => qs8AddAt(k, aq, x, b, y1, n), addCall(k, aq, x, b, y2, n), n],
    ];
    for (const [direct, call, len] of cases) {
      direct();
      for (let rep = 0; rep < 3; rep++) {
        k.arena.i8(y2, len).fill(0);
        runCall(runner, call);
        expect(Array.from(k.arena.i8(y2, len))).toEqual(Array.from(k.arena.i8(y1, len)));
      }
    }
  });

  it('refuse, when planned, a region too small for the geometry, naming it', async () => {
    const k = await loadKernels();
    const x = k.arena.alloc(6 * 5 * 16);
    const y = k.arena.alloc(8);
    const e = thrown(() => maxPoolCall(k, g, x, y));
    expect(isKapriError(e) && e.tag).toBe('InvalidArgument');
    expect((e as Error).message).toMatch(/^y:/);
    const e2 = thrown(() => addCall(k, aq, x, x, y, 6 * 5 * 16));
    expect(isKapriError(e2) && (e2 as Error).message).toMatch(/^y:/);
  });

  it('refuse, when planned, a quantization the kernel cannot run', async () => {
    const k = await loadKernels();
    const x = k.arena.alloc(6 * 5 * 16);
    const y = k.arena.alloc(6 * 5 * 16);
    const e = thrown(() => avgPoolCall(k, g, { ...pq, yScale: 0 }, x, y));
    expect(isKapriError(e) && e.tag).toBe('InvalidArgument');
  });
});
