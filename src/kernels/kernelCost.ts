/**
 * What a pool learns of one kernel's cost outside bursts: its time per unit of work on the calling
 * thread alone, and, per size class of call, how much faster its short split calls ran than that
 * rate predicts. A class whose splits do not pay (a loaded host, a worker descheduled, calls too
 * short) runs on the calling thread and is split again now and then to see whether that changed;
 * one call in {@link EXPLORE} of a class that splits runs alone, to keep the rate current.
 *
 * One record per kernel, its classes in one typed array, so that the per-call decision reads a
 * few numbers of one object: after a 60 ms idle every line a call touches is cold (the 2-vCPU VM of
 * stop 35 ran each op's JavaScript 5-10x slower than back to back), and the decision's string keys
 * and map look-ups took 12 µs of a 0.25 ms depthwise call there.
 *
 * @example
 * const c = kernelCost();
 * learnRate(c, 2e-7); // a serial call: ms per MAC
 * trustedRate(c); // NaN: fewer than SAMPLES samples
 */

/** Serial samples of a kernel before its rate is trusted to split it. */
export const SAMPLES = 3;
/** A size class keeps splitting while its split calls run at least this much faster than the rate predicts. */
export const MIN_GAIN = 1.1;
/** A class whose splits do not pay re-tries a split one call in this many. */
export const RETRY = 32;
/** One call in this many of a class that splits runs on the calling thread alone. */
export const EXPLORE = 16;
/** Size classes: the work's rounded log2, capped. */
const CLASSES = 64;

/** One kernel's learnt cost. */
export interface KernelCost {
  /** Milliseconds per unit of work on the calling thread alone (NaN before the first sample). */
  msPerWork: number;
  /** Samples of the rate so far. */
  samples: number;
  /** Per size class: split speed-up over the rate's prediction (moving average; NaN: none yet). */
  readonly gain: Float64Array;
  /** Per size class: calls that asked for its verdict. */
  readonly calls: Uint32Array;
  /** Per size class: 1 while a re-try fell due on a call that found the workers asleep (the next awake call takes it). */
  readonly owed: Uint8Array;
}

/** A kernel with nothing learnt yet. */
export const kernelCost = (): KernelCost => ({
  msPerWork: Number.NaN,
  samples: 0,
  gain: new Float64Array(CLASSES).fill(Number.NaN),
  calls: new Uint32Array(CLASSES),
  owed: new Uint8Array(CLASSES),
});

/**
 * Takes one sample of the rate (ms per unit of work). A sample far above the estimate is mostly a
 * preemption or a cold first call, not the kernel: the estimate falls to any faster sample at once
 * and rises slowly.
 */
export const learnRate = (c: KernelCost, msPerWork: number): void => {
  c.samples++;
  const old = c.msPerWork;
  c.msPerWork = Number.isNaN(old) || msPerWork < old ? msPerWork : 0.9 * old + 0.1 * msPerWork;
};

/** The rate once it rests on {@link SAMPLES} samples, NaN before. */
export const trustedRate = (c: KernelCost): number => (c.samples < SAMPLES ? Number.NaN : c.msPerWork);

/** The size class of a call of `work` units. */
const classOf = (work: number): number => Math.min(CLASSES - 1, Math.round(Math.log2(work + 1)));

/** Records that a split call of `work` units ran `speedup` times faster than the rate predicts (ignored if not finite: no rate yet). */
export const noteGain = (c: KernelCost, work: number, speedup: number): void => {
  if (!Number.isFinite(speedup)) return;
  const k = classOf(work);
  const old = c.gain[k]!;
  c.gain[k] = Number.isNaN(old) ? speedup : 0.7 * old + 0.3 * speedup;
};

/**
 * Whether this call of its size class may split, and counts it: a class that pays splits but one
 * call in {@link EXPLORE}; one that does not, one call in {@link RETRY}. A call that found the
 * workers asleep (`awake` false) cannot split; its verdict says whether to wake them for the next
 * call, and a re-try that falls due on it is owed to the next awake call of the class: otherwise a
 * class that once measured a loss, called with its workers asleep, would never wake them to re-try.
 */
export const classSplits = (c: KernelCost, work: number, awake = true): boolean => {
  const k = classOf(work);
  const n = ++c.calls[k]!;
  if (!(c.gain[k]! < MIN_GAIN)) return n % EXPLORE !== 0;
  const due = n % RETRY === 0 || c.owed[k] === 1;
  c.owed[k] = due && !awake ? 1 : 0;
  return due;
};
