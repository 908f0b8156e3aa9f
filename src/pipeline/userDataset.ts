/**
 * A user's dataset for the pipeline: the scenario data of a manifest (src/scenarios/fromManifest.ts)
 * with the fingerprint of every file read, which report.json records as `dataset`. `runPipeline`
 * takes one in place of the config's scenario.
 */
import * as E from 'fp-ts/lib/Either.js';
import { fail, unwrap, type KapriError } from '../core/errors.js';
import type { FileFingerprint } from '../core/sha256.js';
import { loadManifest, type ManifestOptions } from '../data/manifest.js';
import { decodeDataset } from '../scenarios/fromManifest.js';
import type { ScenarioData } from '../scenarios/scenario.js';
import type { Config } from './config.js';

/** The data of a run from a manifest, and what it was read from. */
export interface Dataset {
  readonly data: ScenarioData;
  /** The manifest's path as given. */
  readonly manifest: string;
  /** Every file read (the manifest first), with its size and SHA-256. */
  readonly files: readonly FileFingerprint[];
  /** What the manifest names but the run does not read (e.g. a superior modality on the target). */
  readonly warnings: readonly string[];
}

/**
 * Loads a manifest (validated, src/data/manifest.ts) as a dataset for `runPipeline`. Throws a
 * KapriError naming the file and the field on bad input.
 *
 * @example
 * const dataset = await loadDataset('my-data/manifest.json');
 * const { report } = await runPipelineOrThrow(config, { devices: [], dataset });
 */
export const loadDataset = async (manifest: string, options: ManifestOptions = {}): Promise<Dataset> => {
  const loaded = await loadManifest(manifest, options);
  return { data: unwrap(decodeDataset(loaded, manifest)), manifest, files: loaded.files, warnings: loaded.notes };
};

/**
 * Checks that the config's labelled-set sizes fit the dataset's target pool: a run must not fail
 * after the source stage for a size the manifest cannot give.
 */
export const checkDatasetSizes = (c: Config, d: Dataset): E.Either<KapriError, void> => {
  const n = d.data.target.train.n;
  const asked = [
    ['data.targetLabelled', c.data.targetLabelled],
    ...c.data.sweep.map((s, i) => [`data.sweep[${i}]`, s] as const),
  ] as const;
  const over = asked.find(([, v]) => v > n);
  return over
    ? fail(
        'InvalidConfig',
        `the config's '${over[0]}' asks for ${over[1]} labelled target samples, but target.train of ${d.manifest} has ${n}; lower it with --config`,
        { file: d.manifest, path: over[0] },
      )
    : E.right(undefined);
};
