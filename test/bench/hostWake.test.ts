/** The host wake-up probe: it times what it says on a real worker, and leaves no worker behind. */
import { describe, expect, it } from 'vitest';
import { probeHostWake } from '../../bench/hostWake.js';

describe('host wake-up probe', () => {
  it('times its loop alone, and beside a woken worker back to back and after the idle gap', async () => {
    const w = await probeHostWake({ idleGapMs: 5, reps: 3, targetLoopMs: 0.2 });
    expect(w.idleGapMs).toBe(5);
    expect(w.loopMs).toBeGreaterThan(0);
    // both threads ran the loop: the pair cannot be shorter than the caller's own loop, give or take its noise
    expect(w.pairMs).toBeGreaterThan(0.5 * w.loopMs);
    expect(w.pairIdleMs).toBeGreaterThan(0.5 * w.loopMs);
    expect(w.packing === null || /^sched_vcpu_pack=\S+$/.test(w.packing)).toBe(true);
  });
});
