/**
 * Errors are data. Every failure kapri reports is a {@link KapriError}: an `Error` subclass with a
 * `tag` from a closed union and a message a user can act on (what was wrong, what was expected).
 *
 * The rule, one per kind of function (test/core/errorRule.test.ts checks the first two):
 * 1. **Nothing but a KapriError leaves kapri.** No `Error`, `RangeError` or `TypeError` is thrown
 *    from src/ (the CLI's `UsageError` stays inside the CLI); a bug in kapri that surfaces as another
 *    error is a bug to fix, not a failure to report.
 * 2. **Judging outside input returns an `Either`.** A function whose job is to decide whether bytes, a
 *    JSON value, a dataset, a shape or a budget is acceptable — the `decode*`, `validate*`, `check*`
 *    and planning functions (`planFrontier`, `allocate`, `bestPlan`, `builtinDevice`) — returns
 *    `Either<KapriError, A>` and never throws for bad input. Composed asynchronous work that can fail
 *    the same way (the pipeline) returns `TaskEither<KapriError, A>`.
 * 3. **Doing throws.** Everything else — file and network I/O (`loadModel`, `loadManifest`,
 *    `npyRows`, `loadKernels`, which reject), training, kernels and executors, encoders — throws a
 *    KapriError when a precondition fails, before any work or write. Hot paths pay no allocation for
 *    the happy case, and a wrong argument there is the caller's error.
 * 4. **Bridges are named.** A throwing form of an Either-returning function unwraps it unchanged
 *    (`unwrap`, `runOrThrow`, `…OrThrow`), so the same failure carries the same tag and message
 *    either way; an Either-returning function built on throwing parsers catches only KapriErrors
 *    ({@link catchKapri}), so a bug is never turned into a 'bad input' answer.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/** The closed set of error kinds. */
export type KapriErrorTag =
  | 'InvalidArgument' // a scalar argument out of its domain (negative size, scale ≤ 0, ...)
  | 'InvalidShape' // a tensor or buffer of the wrong shape, dtype or length
  | 'InvalidConfig' // a configuration value that cannot be used
  | 'InvalidData' // a dataset with NaN/Inf, mismatched lengths, labels out of range, ...
  | 'CorruptFile' // a data or artifact file that cannot be decoded
  | 'CorruptModel' // a QModel file that fails validation
  | 'KernelLoad' // the WebAssembly kernels are missing or cannot be compiled
  | 'OutOfMemory' // an arena or memory request that cannot be satisfied
  | 'OutOfBudget' // no plan meets the device budget
  | 'NumericalError' // training produced NaN/Inf
  | 'Unsupported' // a valid request this build or platform cannot serve
  | 'DuplicateName' // a name registered twice in a registry (a prior, loss or scenario)
  | 'Io'; // a file that cannot be read or written

/** A tagged, user-facing error. `details` carries machine-readable context (file, index, ...). */
export class KapriError extends Error {
  readonly tag: KapriErrorTag;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(tag: KapriErrorTag, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = `KapriError[${tag}]`;
    this.tag = tag;
    this.details = details;
  }
}

/** Builds a {@link KapriError}. `kapriError('InvalidShape', 'x must be [n, 3], got [4]')`. */
export const kapriError = (tag: KapriErrorTag, message: string, details: Record<string, unknown> = {}): KapriError =>
  new KapriError(tag, message, details);

/** True when `e` is a KapriError, optionally of the given tag. */
export const isKapriError = (e: unknown, tag?: KapriErrorTag): e is KapriError =>
  e instanceof KapriError && (tag === undefined || e.tag === tag);

/** A left `Either` holding a new error. */
export const fail = <A = never>(
  tag: KapriErrorTag,
  message: string,
  details: Record<string, unknown> = {},
): E.Either<KapriError, A> => E.left(kapriError(tag, message, details));

/** Returns the right value or throws the KapriError (the Promise/throwing API's bridge). */
export const unwrap = <A>(e: E.Either<KapriError, A>): A => {
  if (E.isLeft(e)) throw e.left;
  return e.right;
};

/** Runs a TaskEither and resolves with its value, or rejects with its KapriError. */
export const runOrThrow = async <A>(te: TE.TaskEither<KapriError, A>): Promise<A> => unwrap(await te());

/**
 * Runs `f` and returns its value as a right, or the KapriError it throws as a left (rule 4). Any
 * other thrown value is a bug and is rethrown as it is.
 *
 * @example
 * const parsed = catchKapri(() => parseHeader(bytes));   // Either<KapriError, Header>
 */
export const catchKapri = <A>(f: () => A): E.Either<KapriError, A> => {
  try {
    return E.right(f());
  } catch (e) {
    if (e instanceof KapriError) return E.left(e);
    throw e;
  }
};

/**
 * Wraps an unknown thrown value: a KapriError passes through, anything else becomes `fallbackTag`
 * with the original message appended, so no raw stack reaches a user.
 */
export const fromUnknown =
  (fallbackTag: KapriErrorTag, context: string) =>
  (e: unknown): KapriError => {
    if (e instanceof KapriError) return e;
    const msg = e instanceof Error ? e.message : String(e);
    return kapriError(fallbackTag, `${context}: ${msg}`);
  };
