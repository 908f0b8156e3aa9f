/**
 * A user's dataset (a loaded manifest, src/data/manifest.ts) as the `ScenarioData` every pipeline
 * stage reads: the task, classes and metric come from the manifest (classification: accuracy, with
 * macro-F1 among the details; regression: MAE, with RMSE), and the splits are the manifest's own.
 * Every split must carry labels: the source's train the teacher and the student learn from, its val
 * and test choose and score them; the target's train is the pool its labelled subset is drawn from.
 */
import * as E from 'fp-ts/lib/Either.js';
import { fail, type KapriError } from '../core/errors.js';
import type { Labels } from '../data/dataset.js';
import type { LoadedData } from '../data/manifest.js';
import type { ScenarioData } from './scenario.js';

const SPLITS = ['train', 'val', 'test'] as const;

/**
 * The scale that brings regression labels near unit size: 1 / their root mean square (1 for labels
 * that are all zero). The model predicts `label × scale`; one scale for every output keeps the
 * transform a single number a deployed model's metadata can state.
 */
export const labelScaleOf = (l: Labels): number => {
  let s = 0;
  for (const v of l.data) s += v * v;
  const rms = Math.sqrt(s / Math.max(1, l.data.length));
  return rms > 0 ? 1 / rms : 1;
};

/**
 * The dataset of a loaded manifest as scenario data named `name`, or what is missing (the manifest and
 * the field).
 *
 * @example
 * const data = unwrap(decodeDataset(await loadManifest('m.json'), 'm.json'));
 * data.metric; // 'accuracy' or 'mae'
 */
export const decodeDataset = (d: LoadedData, manifest: string): E.Either<KapriError, ScenarioData> => {
  for (const side of ['source', 'target'] as const)
    for (const split of SPLITS)
      if (!d[side][split].label)
        return fail(
          'InvalidData',
          `manifest ${manifest}: ${side}.${split}.label is missing; kapri run needs labels on every split (the target's train split is the pool its labelled subset is drawn from)`,
          { file: manifest, field: `${side}.${split}.label` },
        );
  const label = d.source.train.label!;
  const classification = d.task === 'classification';
  return E.right({
    name: `data:${manifest}`,
    task: d.task,
    metric: classification ? 'accuracy' : 'mae',
    higherIsBetter: classification,
    source: d.source,
    target: d.target,
    modalities: { weak: 'weak', superior: d.givenTeacher ? "the teacher's outputs" : 'superior' },
    notes: [`the data of manifest ${manifest} (files and SHA-256 under report.json dataset.files)`, ...d.notes],
    ...(classification ? {} : { labelTransform: { scale: labelScaleOf(label) } }),
    ...(d.givenTeacher ? { givenTeacher: d.givenTeacher } : {}),
  });
};
