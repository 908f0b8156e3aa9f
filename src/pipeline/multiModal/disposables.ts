/**
 * What a stage owns and must release on every path: models and executors are registered the moment
 * they are made, and released together in a `finally`, so a failure halfway (in training, an export,
 * a measurement) leaks nothing.
 */

/** Anything holding memory outside the garbage collector (tensors, kernel arena regions). */
export interface Releasable {
  dispose(): void;
}

export interface Disposables {
  /** Registers `x` for release and returns it. */
  keep<T extends Releasable>(x: T): T;
  /** Releases everything registered, last first; every one is tried, the first failure is rethrown. */
  release(): void;
}

/** An empty set of things to release. */
export const createDisposables = (): Disposables => {
  const held: Releasable[] = [];
  return {
    keep: (x) => {
      held.push(x);
      return x;
    },
    release: () => {
      let failure: unknown = null;
      for (const x of held.splice(0).reverse()) {
        try {
          x.dispose();
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure !== null) throw failure;
    },
  };
};
