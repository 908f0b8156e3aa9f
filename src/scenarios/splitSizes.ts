/** The sizes of a scenario's six splits, their validation, and the assembly of the splits. */
import { kapriError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { PairedSource, Target } from '../data/dataset.js';
import type { ScenarioData } from './scenario.js';

export interface SplitSizes {
  readonly sourceTrain: number;
  readonly sourceVal: number;
  readonly sourceTest: number;
  /** The target's labelled pool (the labelled subset is drawn from it). */
  readonly targetTrain: number;
  readonly targetVal: number;
  readonly targetTest: number;
}

/** Options every generator takes: a seed and optional split sizes. */
export type ScenarioOptions = { readonly seed: number } & Partial<SplitSizes>;

/** Fills in defaults and refuses non-positive or fractional sizes, naming the scenario and field. */
export const resolveSizes = (scenario: string, o: Partial<SplitSizes>, defaults: SplitSizes): SplitSizes => {
  const s: SplitSizes = {
    ...defaults,
    ...Object.fromEntries(Object.entries(o).filter(([k, v]) => k in defaults && v !== undefined)),
  };
  for (const [k, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v < 1)
      throw kapriError('InvalidConfig', `${scenario}: ${k} must be a positive integer, got ${v}`);
  }
  return s;
};

/** Builds the six splits, each from its own stream forked from `root` by split name. */
export const assembleSplits = (
  root: Rng,
  sizes: SplitSizes,
  source: (n: number, rng: Rng) => PairedSource,
  target: (n: number, rng: Rng) => Target,
): Pick<ScenarioData, 'source' | 'target'> => ({
  source: {
    train: source(sizes.sourceTrain, root.fork('source-train')),
    val: source(sizes.sourceVal, root.fork('source-val')),
    test: source(sizes.sourceTest, root.fork('source-test')),
  },
  target: {
    train: target(sizes.targetTrain, root.fork('target-train')),
    val: target(sizes.targetVal, root.fork('target-val')),
    test: target(sizes.targetTest, root.fork('target-test')),
  },
});
