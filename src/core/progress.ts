/** Progress of long work: stages emit events, the CLI draws bars or lines from them. */
export interface ProgressEvent {
  /** The stage name, e.g. `teacher`, `cmkd`, `prior`. */
  readonly stage: string;
  /** Steps done so far (0..total). */
  readonly step: number;
  /** Total steps of the stage. */
  readonly total: number;
  /** Optional short status, e.g. `loss 0.231`. */
  readonly message?: string;
  /**
   * Set on the event that ends one of a seed's pipeline stages (`source`, `target`, …): which seed,
   * which stage and how long it took, so a view can say how far the whole run is and estimate the rest.
   */
  readonly stageDone?: { readonly seed: number; readonly stage: string; readonly seconds: number };
}

/** A consumer of progress events. */
export type ProgressSink = (event: ProgressEvent) => void;

/** A sink that ignores everything: the default when the caller passes none. */
export const silentProgress: ProgressSink = () => undefined;
