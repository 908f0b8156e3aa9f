/**
 * How a kernel call is split. Parallel kernels end with `(start, end)`, a range of output rows,
 * pixels or channels; a runner calls them over `[0, total)` on one thread or splits the range
 * across a worker pool (src/kernels/threadPool.ts).
 */
import { kapriError } from '../core/errors.js';
import type { KernelModule } from './loader.js';

/** Runs range kernels: `kernel(...args, start, end)` over `[0, total)`. */
export interface Runner {
  /** Threads this runner uses (1 for the serial runner). */
  readonly threads: number;
  /**
   * The kernel module whose exports and memory this runner calls into. Region offsets are only
   * meaningful in their own module, so a runner may only run plans and regions of this module.
   */
  readonly module: KernelModule;
  /**
   * Runs `kernel` over `[0, total)`. `work` (multiply-accumulates or element operations) lets a
   * pool keep small calls on the calling thread, where waking workers would cost more than it saves.
   */
  run(kernel: string, args: readonly number[], total: number, work: number): void;
  /**
   * Announces a burst of calls (one inference): a pool wakes its sleeping workers now, so that their
   * wake-up overlaps the caller's own work, and keeps them spinning between the burst's calls (up to
   * a cap). Bursts of one kind (pass the same `burst` object, e.g. the model's executor) are run
   * split or on the calling thread alone, whichever measured faster, re-measured now and then; a
   * split burst splits the calls whose own serial time (the n-th call of the kind's bursts) is a few
   * hand-offs. Call the returned function when the burst ends; the workers then sleep after their
   * usual short spin, counted from the burst's end.
   * Optional: a runner without workers has nothing to keep warm.
   */
  keepWarm?(burst?: object): () => void;
}

/**
 * A kernel call checked once and kept: what a runner runs. An executor plans each step's calls at
 * load (checks, argument lists) so that an inference runs them without checking again: the checks
 * and argument arrays of the hands student's pooling and adds took 6 of its 22 us of JavaScript per
 * inference (stop 33).
 */
export interface KernelCall {
  readonly kernel: string;
  readonly args: readonly number[];
  /** The range `[0, total)` of output rows, pixels or channels. */
  readonly total: number;
  /** Multiply-accumulates or element operations (see {@link Runner.run}). */
  readonly work: number;
}

/** Runs a planned call. */
export const runCall = (runner: Runner, c: KernelCall): void => runner.run(c.kernel, c.args, c.total, c.work);

type RangeKernel = (...args: number[]) => void;

/** Looks up a range kernel by name in a module's exports. */
export const rangeKernel = (k: KernelModule, name: string): RangeKernel => {
  const f = (k.exports as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function')
    throw kapriError('InvalidArgument', `kapri kernels: no kernel named '${name}' in the '${k.build}' build`, {
      kernel: name,
    });
  return f as RangeKernel;
};

/** The single-thread runner of a module. */
export const serialRunner = (k: KernelModule): Runner => ({
  threads: 1,
  module: k,
  run: (kernel, args, total) => {
    if (total > 0) rangeKernel(k, kernel)(...args, 0, total);
  },
});

/**
 * A runner must belong to module `k`: one of another module would run that module's kernels on
 * offsets of `k`'s arena, writing into whatever the other module keeps there.
 */
export const checkRunner = (k: KernelModule, runner: unknown): void => {
  const r = runner as Partial<Runner> | null;
  if (typeof r !== 'object' || r === null || typeof r.run !== 'function') {
    throw kapriError(
      'InvalidArgument',
      `runner must be a Runner (serialRunner(k) or a thread pool), got ${r === null ? 'null' : typeof r}`,
    );
  }
  if (r.module !== k) {
    const other = r.module ? `a '${r.module.build}' module loaded separately` : 'no kernel module';
    throw kapriError(
      'InvalidArgument',
      `this runner belongs to ${other}, not to the '${k.build}' module the plan runs on: create the runner (or thread pool) over the same module`,
      {
        build: k.build,
      },
    );
  }
};
