/**
 * Split or serial, by what each mode measured: the rule the thread pool uses for an executor's
 * bursts (inferences) and for each call site within them (siteChoice.ts), a pure function of the
 * times so that it can be tested apart. A kind runs in blocks of {@link MODE_BLOCK} runs of one
 * mode; the first run of a block that changes mode pays for the change (workers waking, caches of
 * the other core) and is not recorded, since a mode that is kept does not pay it again. Each mode
 * keeps its last {@link MODE_SAMPLES} recorded times; the first blocks alternate until each mode
 * has {@link MODE_FIRST} of them, then the faster by median runs (split only when clearly faster),
 * and now and then a block takes the other mode (after {@link MODE_EXPLORE} blocks, then twice as
 * many each time the choice holds), so the choice follows the host.
 *
 * @example
 * const t = modeTimes();
 * const mode = nextMode(t); // 'split' first
 * recordMode(t, mode, 1.7);
 */

/** One kind's recent times (any unit, the same for both modes) and where it is in its blocks. */
export interface ModeTimes {
  readonly split: number[];
  readonly serial: number[];
  /** Blocks begun so far. */
  blocks: number;
  /** The mode of the block under way, and its runs still to come. */
  mode: 'split' | 'serial';
  left: number;
  /** Whether the next recorded time is a block's first after a change of mode (dropped). */
  changed: boolean;
  /** The faster mode when the last block began (null while learning). */
  best: 'split' | 'serial' | null;
  /** Whether the last block re-tried the slower mode; the block it next re-tries it; blocks between. */
  explored: boolean;
  nextExplore: number;
  interval: number;
  /** Whether splitting must beat serial in two of three runs, not only by median (noisy kinds). */
  readonly strict: boolean;
}

/** Runs of one mode in a row. */
export const MODE_BLOCK = 4;
/** Blocks of each mode a kind runs first, alternating, before the faster is chosen. */
export const MODE_FIRST = 2;
/** Each mode's time is the median of its last this many recorded runs: one preempted run must not flip the choice. */
export const MODE_SAMPLES = 7;
/**
 * Blocks between re-tries of the slower mode at first. Each re-try that confirms the choice doubles
 * the interval, up to {@link MODE_EXPLORE_MAX}; a change of choice brings it back. Re-tries cost:
 * after a 60 ms idle, split inferences of the hands student took 0.6-1.0 ms against 0.4 serially;
 * in two unpaired runs each of a script, the pool ran at 0.93 and 0.73 of one thread's speed with a
 * re-try every 16 blocks and at 0.95 and 0.99 with none (stop 33).
 */
export const MODE_EXPLORE = 16;
/** The longest interval between re-tries, in blocks. */
export const MODE_EXPLORE_MAX = 128;
/**
 * Split only while split runs measure at most this fraction of serial ones: near a tie the pool
 * stays serial (hands student, stop 31: split and serial bursts 228 and 224 us against 207 on one
 * thread).
 */
export const SPLIT_MARGIN = 0.95;

/** A kind with no runs yet; `strict` for a kind whose times are noisy (see {@link ModeTimes.strict}). */
export const modeTimes = (strict = false): ModeTimes => ({
  split: [],
  serial: [],
  blocks: 0,
  mode: 'serial',
  left: 0,
  changed: false,
  best: null,
  explored: false,
  nextExplore: MODE_EXPLORE - 1,
  interval: MODE_EXPLORE,
  strict,
});

/** The mode of a kind's next run (and moves it on by one run). */
export const nextMode = (t: ModeTimes): 'split' | 'serial' => {
  if (t.left > 0) {
    t.left--;
    return t.mode;
  }
  const mode = blockMode(t, t.blocks);
  t.changed = t.blocks > 0 && mode !== t.mode;
  t.blocks++;
  t.mode = mode;
  t.left = MODE_BLOCK - 1;
  return mode;
};

/**
 * Blocks before a re-try (and while learning) in which the pool keeps its workers awake through
 * serial bursts too: a worker asleep through a long serial stretch came back slowly on this host, so
 * that a block of re-tried splits timed its return for tens of bursts, not the mode (hands student,
 * stop 33: re-tried split bursts 200-450 us against 185 serially, sustained ones 150 after ~200
 * bursts; with the worker kept awake before re-tries, 6 runs of 6 of a script chose splitting, at
 * 1.39-1.43x; with later changes too, 3 of 6 did, the others settling on serial bursts at ~1.0x).
 */
export const MODE_PREWARM = 4;

/** Whether a kind's next run should find the workers awake: it splits, or a re-try of splitting is near. */
export const wantsWarm = (t: ModeTimes): boolean =>
  t.mode === 'split' || t.blocks <= 2 * MODE_FIRST || t.nextExplore - t.blocks < MODE_PREWARM;

/** The mode of block number `b`, updating the re-try schedule: alternating at first, then the faster. */
const blockMode = (t: ModeTimes, b: number): 'split' | 'serial' => {
  if (b < 2 * MODE_FIRST || t.split.length === 0 || t.serial.length === 0) return b % 2 === 0 ? 'split' : 'serial';
  // split only when clearly faster; a strict kind (bursts after an idle spell) only when two in
  // three of its split times beat serial's median by the margin. After a 60 ms idle the hands
  // student's times spread over 0.27-0.84 ms in both modes, and medians of seven chose splitting
  // on noise (the pool 0.53 ms against one thread's 0.44, stop 33); back to back the times are
  // tight, and the stricter rule there kept a kind serial on one slow split burst in three
  const splitTime = t.strict ? quantileOfFew(t.split, 2 / 3) : medianOfFew(t.split);
  const best = faster(splitTime, medianOfFew(t.serial));
  if (t.best !== null && best !== t.best) {
    t.interval = MODE_EXPLORE;
    t.nextExplore = b + t.interval - 1;
  } else if (t.explored) {
    // a re-try whose own runs beat the choice is followed by another at once (one block's runs
    // are too few to turn a median of seven); one that did not, by one twice as late
    const tried = best === 'split' ? 'serial' : 'split';
    const own = medianOfFew(t[tried].slice(-(MODE_BLOCK - 1)));
    const beat = faster(
      tried === 'split' ? own : medianOfFew(t.split),
      tried === 'serial' ? own : medianOfFew(t.serial),
    );
    t.interval = beat === tried ? MODE_EXPLORE : Math.min(2 * t.interval, MODE_EXPLORE_MAX);
    t.nextExplore = beat === tried ? b : b - 1 + t.interval;
  }
  t.best = best;
  t.explored = b >= t.nextExplore;
  if (!t.explored) return best;
  return best === 'split' ? 'serial' : 'split';
};

/** The faster mode by these times: split only when clearly faster ({@link SPLIT_MARGIN}). */
const faster = (splitTime: number, serialTime: number): 'split' | 'serial' =>
  splitTime <= SPLIT_MARGIN * serialTime ? 'split' : 'serial';

/**
 * Records a run's time under the mode it ran in, keeping the last {@link MODE_SAMPLES}; the first
 * run of a block that changed mode is not recorded (see the file comment).
 */
export const recordMode = (t: ModeTimes, mode: 'split' | 'serial', time: number): void => {
  if (t.changed && mode === t.mode) {
    t.changed = false;
    return;
  }
  const xs = t[mode];
  xs.push(time);
  if (xs.length > MODE_SAMPLES) xs.shift();
};

// The pool asks for a mode on every call of a split burst (siteChoice.ts): the median of at most
// MODE_SAMPLES times by insertion sort in a reused buffer, without the copy and comparator sort of
// core/median.ts (a microsecond per call on the hands student's 21 calls, stop 33).
const few = new Float64Array(MODE_SAMPLES);

/** Sorts a list of at most {@link MODE_SAMPLES} numbers into `few` (the list is not changed). */
const sortFew = (xs: readonly number[]): void => {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    let j = i;
    for (; j > 0 && few[j - 1]! > v; j--) few[j] = few[j - 1]!;
    few[j] = v;
  }
};

/** The median of a non-empty list of at most {@link MODE_SAMPLES} numbers (the list is not changed). */
export const medianOfFew = (xs: readonly number[]): number => {
  sortFew(xs);
  const n = xs.length;
  const m = n >> 1;
  return n % 2 === 1 ? few[m]! : (few[m - 1]! + few[m]!) / 2;
};

/** The `q` quantile (0 to 1; the nearest rank at or above) of a non-empty list of at most {@link MODE_SAMPLES} numbers. */
export const quantileOfFew = (xs: readonly number[], q: number): number => {
  sortFew(xs);
  return few[Math.min(xs.length - 1, Math.ceil(q * (xs.length - 1)))]!;
};
