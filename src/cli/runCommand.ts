/**
 * `kapri run`: decode the configuration (preset, then --config FILE, then flags), check the output
 * folder can be written before any work, run the pipeline, and replace report.json, report.html and
 * model.kapri as one set (src/cli/outputSet.ts): a reader never sees a new model beside an old report.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { kapriError, unwrap } from '../core/errors.js';
import { previewPng } from '../data/preview.js';
import { decodeConfig, deepMerge, type Config } from '../pipeline/config.js';
import { renderHtmlReport } from '../pipeline/htmlReport.js';
import { reportFlags } from '../pipeline/reportFlags.js';
import { PRESETS } from '../pipeline/presets.js';
import { availableParallelism } from 'node:os';
import { runPipeline } from '../pipeline/runPipeline.js';
import { BUILTIN_DEVICES, builtinDevice, decodeDeviceProfile, type DeviceProfile } from '../resource/deviceProfile.js';
import { integerFlag, parseFlags } from './parseFlags.js';
import { didYouMean } from '../core/suggest.js';
import { checkOutputFolder, writeOutputSet } from './outputSet.js';
import { progressView } from './progressView.js';
import { onInterrupt } from './interrupt.js';
import { formatDuration } from './runProgress.js';
import { SEED_STAGES } from '../pipeline/seedRun.js';
import { RUN_USAGE } from './usage.js';
import { raisedSplits } from '../scenarios/index.js';

const readJson = async (file: string, what: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw kapriError('Io', `cannot read the ${what} ${file}: ${(e as { code?: string }).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw kapriError('InvalidConfig', `the ${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
};

const device = async (spec: string): Promise<DeviceProfile> => {
  if (spec.endsWith('.json')) return unwrap(decodeDeviceProfile(await readJson(spec, 'device profile'), spec));
  return unwrap(builtinDevice(spec));
};

/** The files of a run's output set, in the order they are written. */
const OUTPUT_NAMES = ['model.kapri', 'report.json', 'report.html'];

export const runCommand = async (argv: string[]): Promise<number> => {
  const values = parseFlags(
    argv,
    {
      scenario: { type: 'string' },
      preset: { type: 'string' },
      config: { type: 'string' },
      device: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      jobs: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    RUN_USAGE,
  );
  if (values['help']) {
    process.stdout.write(`${RUN_USAGE}\n\nWrites DIR/report.json, DIR/report.html and DIR/model.kapri (DIR defaults to kapri-out) as one set,
replacing a previous set; --force also replaces a folder that holds other files.\n`);
    return 0;
  }
  const presetName = (values['preset'] as string | undefined) ?? 'default';
  if (!(presetName in PRESETS))
    throw kapriError(
      'InvalidConfig',
      `unknown preset '${presetName}'${didYouMean(presetName, Object.keys(PRESETS))}; presets: ${Object.keys(PRESETS).join(', ')}`,
    );
  let raw: unknown = PRESETS[presetName as Config['preset']];
  if (values['config'] !== undefined) raw = deepMerge(raw, await readJson(values['config'] as string, 'configuration'));
  const flags: Record<string, unknown> = {};
  if (values['scenario'] !== undefined) flags['scenario'] = values['scenario'];
  const seed = integerFlag('seed', values['seed'] as string | undefined, 0);
  if (seed !== undefined) flags['seed'] = seed;
  const seeds = integerFlag('seeds', values['seeds'] as string | undefined, 1);
  if (seeds !== undefined) flags['seeds'] = seeds;
  if (values['device'] !== undefined) flags['devices'] = [values['device']];
  const config = unwrap(
    decodeConfig(
      deepMerge(raw, flags),
      values['config'] !== undefined ? (values['config'] as string) : 'configuration',
    ),
  );
  const devices = config.devices.length ? await Promise.all(config.devices.map(device)) : [...BUILTIN_DEVICES];
  const out = resolve((values['out'] as string | undefined) ?? 'kapri-out');
  const force = values['force'] === true;
  // hours of work must not end in a folder that cannot take the result
  await checkOutputFolder(out, OUTPUT_NAMES, force);
  // Seeds train in parallel on worker threads, one per core by default; the numbers do not depend on it.
  const jobsFlag = integerFlag('jobs', values['jobs'] as string | undefined, 1, 64);
  const jobs = Math.min(jobsFlag ?? availableParallelism(), config.seeds);
  const seedList = Array.from({ length: config.seeds }, (_, k) => config.seed + k);
  const view = progressView(process.stderr, { seeds: seedList, jobs, stages: SEED_STAGES });
  process.stderr.write(
    `kapri run: ${config.scenario}, preset ${config.preset}, seeds ${config.seed}..${config.seed + config.seeds - 1}, output ${out}\n`,
  );
  // Sizes the scenario raises to its minimum: said before the run, not discovered in the report.
  for (const w of raisedSplits(config.scenario, {
    sourceTrain: config.data.sourceTrain,
    targetTrain: config.data.targetLabelled,
    targetTest: config.data.targetTest,
  }))
    process.stderr.write(`warning: ${w}\n`);
  const startedAt = performance.now();
  const release = onInterrupt(
    () =>
      `kapri: interrupted after ${formatDuration((performance.now() - startedAt) / 1000)}; nothing was written, ${out} is as it was`,
  );
  const r = await runPipeline(config, { devices, onProgress: view.sink, jobs })();
  release();
  view.done();
  if (E.isLeft(r)) throw r.left;
  const { report, model, preview } = r.right;
  const src = preview.source.test;
  const n = Math.min(6, src.n);
  const png =
    src.superior.shape.length === 3
      ? previewPng(src.superior.data, src.weak.data, src.weak.shape[0]!, src.weak.shape[1]!, n)
      : null;
  await writeOutputSet(
    out,
    [
      ['model.kapri', model],
      ['report.json', `${JSON.stringify(report, null, 2)}\n`],
      ['report.html', await renderHtmlReport(report, png)],
    ],
    force,
  );
  const m = report.target.methods;
  process.stdout.write(
    `source ${report.source.metric}: teacher ${report.source.teacher.toFixed(3)}, student ${report.source.studentNoKd.toFixed(3)}, distilled ${report.source.studentKd.toFixed(3)}\n` +
      `target ${report.target.metric}: ${Object.entries(m)
        .map(([k, v]) => `${k} ${v.mean.toFixed(3)}±${v.std.toFixed(3)}`)
        .join(', ')}\n` +
      `int8 model ${report.compression.int8.bytes} B (float ${report.compression.float.bytes} B); total ${report.timings.totalS.toFixed(1)} s\n` +
      (report.multiModal
        ? `fused ${report.multiModal.modalities.superior} + ${report.multiModal.modalities.weak} (source ${report.multiModal.metric}): ${report.multiModal.deployment.map((d) => `${d.device} ${d.plan['superior']}/${d.plan['weak']} ${d.metric.toFixed(3)}${d.fits ? '' : ' (does not fit)'}`).join(', ')}\n`
        : '') +
      // What makes these numbers mean less than they seem, as on the report's first screen.
      reportFlags(report)
        .map((f) => `note: ${f.message}\n`)
        .join('') +
      `wrote ${join(out, 'report.json')}, report.html, model.kapri\n`,
  );
  return 0;
};
