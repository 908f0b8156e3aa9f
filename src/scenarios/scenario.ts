/** What every embedded scenario produces: source and target splits and what the task measures. */
import type { PairedSource, Target } from '../data/dataset.js';
import type { GivenTeacher } from '../data/manifest.js';

export interface ScenarioData {
  readonly name: string;
  readonly task: 'regression' | 'classification';
  /** The headline metric of the target (e.g. `auc` of 3D PCK 20–50 mm, `accuracy`). */
  readonly metric: string;
  readonly higherIsBetter: boolean;
  readonly source: { readonly train: PairedSource; readonly val: PairedSource; readonly test: PairedSource };
  /** `train` is the labelled pool the labelled subset is drawn from; `val` and `test` are held out. */
  readonly target: { readonly train: Target; readonly val: Target; readonly test: Target };
  /** Names of the modalities, for reports. */
  readonly modalities: { readonly weak: string; readonly superior: string };
  readonly notes: readonly string[];
  /**
   * Generic regression (a user's dataset): the model predicts `label × scale`. Absent for the embedded
   * scenarios, whose regression (hands) is scored as keypoints in mm.
   */
  readonly labelTransform?: { readonly scale: number };
  /**
   * A teacher given as its outputs (and features) per source sample, computed in any framework: the
   * source's `superior` holds them (src/data/manifest.ts) and no teacher is trained.
   */
  readonly givenTeacher?: GivenTeacher;
}
