/**
 * Whether this host gives a process its second thread promptly after an idle spell: what the
 * idle-gap rows (threadScalingIdleGap, modelThreadScalingIdleGap) depend on before any pool policy.
 * A plain worker thread, asleep in `Atomics.wait` as a pool's workers are between bursts, is woken
 * and runs a fixed integer loop while the calling thread runs the same loop; the time from the
 * wake-up call until both are done is taken back to back and after an idle gap before each.
 * On a host that schedules both threads at once it is about one loop either way. On the 2-vCPU VM
 * of stop 34 it was one loop back to back and 3.3-4.3 ms after a 60 ms idle for a 1 ms loop (the
 * guest kernel, booted with `sched_vcpu_pack`, put the woken worker on the caller's busy vCPU until
 * its load balancer moved it; pinned to the other vCPU with taskset, 1.1 ms). No split of a call
 * shorter than that delay can use the second thread there, kapri's or any other runtime's.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { median } from './measure.js';

/** What the probe measured (milliseconds, medians). */
export interface HostWake {
  /** The calling thread running the loop alone, back to back. */
  readonly loopMs: number;
  /** From waking the sleeping worker to both threads having run the loop once, back to back. */
  readonly pairMs: number;
  /** The same after the idle gap. */
  readonly pairIdleMs: number;
  /** The idle gap (ms) before each run of `pairIdleMs`. */
  readonly idleGapMs: number;
  /** The guest kernel's vCPU packing option when its command line has one (Linux), else null. */
  readonly packing: string | null;
}

// The worker: sleeps on ctl[0] until a new generation, runs the loop ctl[2] times, sets ctl[1]
// (ctl[3] takes the loops' results, so that no engine drops them as unused).
const WORKER = `
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData);
let seen = 0, sink = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (seen < 0) break;
  let x = 1;
  for (let i = 0, n = ctl[2]; i < n; i++) x = (x * 1103515245 + 12345) | 0;
  sink ^= x;
  ctl[3] = sink;
  Atomics.store(ctl, 1, 1);
}
`;

const loop = (n: number): number => {
  let x = 1;
  for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) | 0;
  return x;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `sched_vcpu_pack=…` from the kernel's command line, or null (no such option, or not Linux). */
const vcpuPacking = (): string | null => {
  try {
    return /\bsched_vcpu_pack=\S+/.exec(readFileSync('/proc/cmdline', 'utf8'))?.[0] ?? null;
  } catch {
    return null;
  }
};

/**
 * Runs the probe (see the file comment): `loopMs` is about `targetLoopMs`; `reps` runs per
 * pattern. Takes about `reps × (idleGapMs + 3 × targetLoopMs)` ms.
 */
export const probeHostWake = async (opts: {
  readonly idleGapMs: number;
  readonly reps: number;
  readonly targetLoopMs?: number;
}): Promise<HostWake> => {
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(WORKER, { eval: true, workerData: ctl.buffer });
  let sink = 0;
  try {
    // the loop's length: calibrated after the engine has optimised it
    let n = 200_000;
    for (let i = 0; i < 20; i++) sink ^= loop(n);
    const t = performance.now();
    sink ^= loop(n);
    n = Math.max(1000, Math.round((n * (opts.targetLoopMs ?? 0.5)) / Math.max(performance.now() - t, 1e-3)));
    ctl[2] = n;
    const pair = (): number => {
      Atomics.store(ctl, 1, 0);
      const t0 = performance.now();
      Atomics.add(ctl, 0, 1);
      Atomics.notify(ctl, 0);
      sink ^= loop(n);
      // the pool's caller polls for its workers' chunks; so does this one (a late worker is the point)
      while (Atomics.load(ctl, 1) === 0) if (performance.now() - t0 > 1000) throw new Error('the probe worker stalled');
      return performance.now() - t0;
    };
    const alone = (): number => {
      const t0 = performance.now();
      sink ^= loop(n);
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) pair();
    const loopTimes: number[] = [];
    const pairTimes: number[] = [];
    for (let i = 0; i < opts.reps; i++) {
      loopTimes.push(alone());
      pairTimes.push(pair());
    }
    const idleTimes: number[] = [];
    for (let i = 0; i < opts.reps; i++) {
      await sleep(opts.idleGapMs);
      idleTimes.push(pair());
    }
    return {
      loopMs: median(loopTimes),
      pairMs: median(pairTimes),
      pairIdleMs: median(idleTimes),
      idleGapMs: opts.idleGapMs,
      packing: vcpuPacking(),
    };
  } finally {
    // the loops' results land in shared memory, so the engine cannot drop them as unused
    ctl[3] = sink;
    Atomics.store(ctl, 0, -1);
    Atomics.notify(ctl, 0);
    await worker.terminate();
  }
};

/** The bench note of a probe's numbers. */
export const hostWakeNote = (w: HostWake): string =>
  `host wake-up of a second thread (bench/hostWake.ts): a sleeping worker woken to run a ${w.loopMs.toFixed(2)} ms loop beside the calling thread's own: both done in ${w.pairMs.toFixed(2)} ms back to back, ${w.pairIdleMs.toFixed(2)} ms after a ${w.idleGapMs} ms idle (medians)${w.packing ? `; the kernel's command line has ${w.packing}` : ''}`;
