/**
 * Stages and their composition. A stage is a function from a typed context to the next: it reads
 * what the stages before it produced and returns the context with its own output added under one key,
 * and its wall-clock seconds added to the context's timings. The pipeline is their composition with
 * fp-ts `pipe` over `TaskEither`: a stage that throws ends the chain with a KapriError (rule 3 of
 * core/errors.ts: doing throws; the composition turns it into a left).
 *
 * @example
 * const run = pipe(
 *   TE.right(start(config)),
 *   TE.chain(stage('scenario', 'data', (c) => generate(c))),
 *   TE.chain(stage('source', 'source', (c) => train(c.data))),
 * ); // TaskEither<KapriError, Ctx & { data; source }>
 */
import * as TE from 'fp-ts/lib/TaskEither.js';
import { fromUnknown, type KapriError } from '../core/errors.js';

/** Seconds per stage name, summed when a stage runs more than once. */
export type Timings = Readonly<Record<string, number>>;

/** What every context carries: the timings of the stages run so far, and who hears of each end. */
export interface Timed {
  readonly timings: Timings;
  /** Told when a stage ends, with its seconds (progress views: how far the run is, what is left). */
  readonly onStageDone?: (stage: string, seconds: number) => void;
}

/** `t` with `seconds` added to `name`. */
export const addTiming = (t: Timings, name: string, seconds: number): Timings => ({
  ...t,
  [name]: (t[name] ?? 0) + seconds,
});

/** Sums several stage tables (e.g. one per seed). */
export const sumTimings = (ts: readonly Timings[]): Timings =>
  ts.reduce<Timings>((acc, t) => Object.entries(t).reduce((a, [k, v]) => addTiming(a, k, v), acc), {});

/** Runs `f` and returns its value with the seconds it took. */
export const timed = async <A>(f: () => Promise<A> | A): Promise<{ value: A; seconds: number }> => {
  const s = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - s) / 1000 };
};

/**
 * The stage `name`: runs `f` on the context and adds its output under `key` and its time under
 * `name`. A thrown error becomes a left (a KapriError passes through; anything else is wrapped with
 * the stage's name).
 */
export const stage =
  <C extends Timed, K extends string, A>(name: string, key: K, f: (c: C) => Promise<A> | A) =>
  <D extends C>(c: D): TE.TaskEither<KapriError, D & { readonly [P in K]: A }> =>
    TE.tryCatch(
      async () => {
        const { value, seconds } = await timed(() => f(c));
        c.onStageDone?.(name, seconds);
        return { ...c, [key]: value, timings: addTiming(c.timings, name, seconds) } as D & { readonly [P in K]: A };
      },
      fromUnknown('Unsupported', `the ${name} stage failed`),
    );

/** A step that adds `f`'s output under `key` without timing it (setup, bookkeeping). */
export const step =
  <C, K extends string, A>(key: K, f: (c: C) => Promise<A> | A) =>
  <D extends C>(c: D): TE.TaskEither<KapriError, D & { readonly [P in K]: A }> =>
    TE.tryCatch(
      async () => ({ ...c, [key]: await f(c) }) as D & { readonly [P in K]: A },
      fromUnknown('Unsupported', `the pipeline failed while preparing '${key}'`),
    );

/**
 * A stage that runs only when `when(c)` holds; otherwise its key holds `null` and no time is added
 * (e.g. the deployment, planned on the first seed only).
 */
export const stageIf =
  <C extends Timed, K extends string, A>(name: string, key: K, when: (c: C) => boolean, f: (c: C) => Promise<A> | A) =>
  <D extends C>(c: D): TE.TaskEither<KapriError, D & { readonly [P in K]: A | null }> =>
    when(c)
      ? stage<C, K, A | null>(name, key, f)(c)
      : TE.right({ ...c, [key]: null } as D & { readonly [P in K]: A | null });
