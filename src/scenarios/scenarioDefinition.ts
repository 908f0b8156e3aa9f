/**
 * What a scenario registers (src/scenarios/registry.ts): its generator, behind the sizes the pipeline
 * asks for, and the rules that turn those sizes into its six splits. Each embedded scenario defines
 * itself in `<name>/definition.ts`; a new one is a definition and one `registerScenario` call.
 */
import type { ScenarioData } from './scenario.js';
import type { ScenarioOptions } from './splitSizes.js';
import type { ShiftOption } from './targetShift.js';

/** The sizes a run asks of a scenario; each scenario derives its six splits from them. */
export interface ScenarioSizes {
  readonly sourceTrain: number;
  readonly targetTrain: number;
  readonly targetTest: number;
  /** hands only: the target's label root (see `HandsOptions`). */
  readonly handsTargetRoot?: 'palm' | 'wrist';
  /** gauss only: the modality-general share γ of the decisive features (default 0.5). */
  readonly gamma?: number;
  /**
   * The scale of the scenario's stated source → target shift (`data.shift`, default 1: the stated
   * target; 0: the source's distribution; src/scenarios/targetShift.ts). A scenario that does not
   * apply it says so in its notes.
   */
  readonly shift?: number;
}

export interface ScenarioDefinition {
  /** The registry key: `--scenario NAME`, the config's `scenario`, the report's `scenario`. */
  readonly name: string;
  /** Generates the data (seeded: the same seed and sizes give the same bytes). */
  readonly generate: (seed: number, sizes: ScenarioSizes) => ScenarioData;
  /**
   * The splits `generate` raises to its minimum for these sizes, as sentences without the scenario's
   * name (absent: the scenario raises none). The CLI warns with them before a run; the notes keep them.
   */
  readonly raisedSplits?: (sizes: ScenarioSizes) => string[];
}

/**
 * The definition of a scenario whose generator sets its own validation sizes: the run's sizes and
 * shift passed on, the target's labelled pool raised to `minTargetTrain` (a pool, larger than any
 * labelled subset by design, so not a raise worth a warning).
 *
 * @example
 * export const physioScenario = poolScenario('physio', generatePhysio, 400);
 */
export const poolScenario = (
  name: string,
  generate: (o: ScenarioOptions & ShiftOption) => ScenarioData,
  minTargetTrain: number,
): ScenarioDefinition => ({
  name,
  generate: (seed, sizes) =>
    generate({
      seed,
      sourceTrain: sizes.sourceTrain,
      targetTrain: Math.max(sizes.targetTrain, minTargetTrain),
      targetTest: sizes.targetTest,
      ...(sizes.shift !== undefined ? { shift: sizes.shift } : {}),
    }),
});
