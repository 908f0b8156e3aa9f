/**
 * The Modality Focusing Hypothesis check on `gauss` (Xue et al., ICLR 2023): the source stage run at
 * each γ (the modality-general share of the decisive features) of `data.gammaSweep`, on every seed,
 * and the KD gain (distilled student against the student trained alone) compared paired over seeds.
 * The hypothesis predicts a gain that grows with γ.
 */
import { compareAll, type Comparison } from '../core/pairedStats.js';
import type { ProgressSink } from '../core/progress.js';
import { createRng } from '../core/rng.js';
import { generateScenario } from '../scenarios/index.js';
import type { Config } from './config.js';
import { runSourceStage } from './sourceStage.js';
import type { TaskSpec } from './taskSpec.js';

export interface GammaPoint {
  readonly gamma: number;
  /** Source test metric per seed. */
  readonly teacher: number[];
  readonly studentNoKd: number[];
  readonly studentKd: number[];
  /** studentKd against studentNoKd, paired over seeds. */
  readonly kdGain: Comparison;
}

/** Runs the source stage at each γ of the sweep for every seed (gauss only). */
export const runGammaSweep = async (c: Config, task: TaskSpec, onProgress?: ProgressSink): Promise<GammaPoint[]> => {
  const points: GammaPoint[] = [];
  for (const gamma of c.data.gammaSweep) {
    const r = { teacher: [] as number[], studentNoKd: [] as number[], studentKd: [] as number[] };
    for (let k = 0; k < c.seeds; k++) {
      const seed = c.seed + k;
      const data = generateScenario('gauss', seed, {
        sourceTrain: c.data.sourceTrain,
        targetTrain: c.data.targetLabelled,
        targetTest: c.data.targetTest,
        gamma,
      });
      const s = await runSourceStage({
        source: data.source,
        task,
        config: c,
        rng: createRng(seed).fork(`gamma-${gamma}`),
        ...(onProgress ? { onProgress: (e) => onProgress({ ...e, stage: `γ ${gamma}: ${e.stage}` }) } : {}),
      });
      r.teacher.push(s.scores.teacher);
      r.studentNoKd.push(s.scores.studentNoKd);
      r.studentKd.push(s.scores.studentKd);
      s.teacher.dispose();
      s.studentKd.dispose();
      s.projection.dispose();
    }
    points.push({ gamma, ...r, kdGain: compareAll(r, task.higherIsBetter, [['studentKd', 'studentNoKd']])[0]! });
  }
  return points;
};
