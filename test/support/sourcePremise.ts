/**
 * A scenario's premise on the `default` source stage: the mean over seeds of the superior-modality
 * teacher, the weak student trained alone and the weak student taught by CMKD (same supervised steps),
 * each on the source test split. The scenario tests check its direction.
 */
import { initTraining } from '../../src/backend/initTraining.js';
import { createRng } from '../../src/core/rng.js';
import { PRESETS } from '../../src/pipeline/presets.js';
import { taskFor } from '../../src/pipeline/seedRun.js';
import { runSourceStage } from '../../src/pipeline/sourceStage.js';
import type { ScenarioData } from '../../src/scenarios/scenario.js';

export interface SourceScores {
  readonly teacher: number;
  readonly studentNoKd: number;
  readonly studentKd: number;
}

/** Mean source-test scores over `seeds`, each seed's data from `generate(seed, sourceTrain)`. */
export const sourcePremise = async (
  generate: (seed: number, sourceTrain: number) => ScenarioData,
  seeds: readonly number[],
): Promise<SourceScores> => {
  await initTraining();
  const config = PRESETS.default;
  const mean = { teacher: 0, studentNoKd: 0, studentKd: 0 };
  for (const seed of seeds) {
    const data = generate(seed, config.data.sourceTrain);
    const r = await runSourceStage({
      source: data.source,
      task: taskFor(data, config),
      config,
      rng: createRng(seed).fork('source'),
    });
    for (const k of ['teacher', 'studentNoKd', 'studentKd'] as const) mean[k] += r.scores[k] / seeds.length;
    [r.teacher, r.studentKd, r.projection].forEach((m) => m.dispose());
  }
  return mean;
};
