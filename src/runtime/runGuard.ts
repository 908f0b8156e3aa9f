/**
 * Bounds on one inference: an `AbortSignal` and a time budget, checked between ops (an op itself
 * is bounded by the model's MAC cap at decode). Both engines check the same way.
 */
import { kapriError } from '../core/errors.js';

/** Options of one inference (or, given at load, of every inference of a model). */
export interface RunOptions {
  /** Stops the inference at the next op boundary once aborted. */
  readonly signal?: AbortSignal;
  /** Stops the inference at the next op boundary once it has run this many milliseconds. */
  readonly timeoutMs?: number;
}

/** Called before each op with the ops done and the total (over the batch); throws to stop. */
export type RunGuard = (done: number, total: number) => void;

const checkTimeout = (t: number | undefined): void => {
  if (t !== undefined && (typeof t !== 'number' || Number.isNaN(t) || t <= 0)) {
    throw kapriError('InvalidArgument', `timeoutMs must be a number of milliseconds > 0, got ${String(t)}`, {
      timeoutMs: t,
    });
  }
};

/** Options given when a model is loaded, checked then so a bad one fails at load, not at run. */
export const checkRunOptions = (o: RunOptions = {}): RunOptions => {
  if (typeof o !== 'object' || o === null)
    throw kapriError('InvalidArgument', `run options must be an object, got ${String(o)}`);
  checkTimeout(o.timeoutMs);
  if (o.signal !== undefined && (typeof o.signal !== 'object' || o.signal === null || !('aborted' in o.signal))) {
    throw kapriError('InvalidArgument', 'signal must be an AbortSignal');
  }
  return o;
};

/**
 * The guard of one inference: the run's options over the model's defaults (both signals count; the
 * run's timeout replaces the default's). Null when there is nothing to check.
 */
export const runGuard = (run: RunOptions | undefined, defaults: RunOptions): RunGuard | null => {
  const o = checkRunOptions(run);
  const signals = [defaults.signal, o.signal].filter((s): s is AbortSignal => s !== undefined);
  const timeoutMs = o.timeoutMs ?? defaults.timeoutMs;
  if (signals.length === 0 && timeoutMs === undefined) return null;
  const deadline = performance.now() + (timeoutMs ?? Infinity);
  return (done, total) => {
    const aborted = signals.find((s) => s.aborted);
    if (aborted) {
      throw kapriError(
        'OutOfBudget',
        `the inference was aborted by its AbortSignal after ${done} of ${total} ops (${String(aborted.reason)})`,
        { aborted: true, done, total },
      );
    }
    if (performance.now() > deadline) {
      throw kapriError(
        'OutOfBudget',
        `the inference passed its ${timeoutMs} ms time budget after ${done} of ${total} ops; raise timeoutMs or run fewer samples per call`,
        { timeoutMs, done, total },
      );
    }
  };
};
