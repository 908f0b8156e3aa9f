/**
 * `kapri run`: decode the configuration (preset, then --config FILE, then flags), load the user's
 * manifest (--data) when given, check the output folder can be written before any work, run the
 * pipeline, and replace report.json, report.html, model.kapri and the other artifacts (artifacts.ts)
 * as one set (src/cli/outputSet.ts): a reader never sees a new model beside an old report.
 */
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { previewPng } from '../data/preview.js';
import { renderHtmlReport } from '../pipeline/htmlReport.js';
import { reportFlags } from '../pipeline/reportFlags.js';
import { availableParallelism } from 'node:os';
import { runPipeline } from '../pipeline/runPipeline.js';
import { integerFlag, parseFlags } from './parseFlags.js';
import { resolveRunConfig } from './runConfig.js';
import { checkOutputFolder, writeOutputSet } from './outputSet.js';
import { progressView } from './progressView.js';
import { onInterrupt } from './interrupt.js';
import { formatDuration } from './runProgress.js';
import { SEED_STAGES } from '../pipeline/seedRun.js';
import { RUN_USAGE } from './usage.js';
import { raisedSplits } from '../scenarios/index.js';
import { OUTPUT_PATTERNS } from '../pipeline/artifacts.js';
import { loadDataset, type Dataset } from '../pipeline/userDataset.js';
import { UsageError } from './fail.js';
import type { ScenarioData } from '../scenarios/scenario.js';

/** The preview of depth beside RGB, when the source's modalities are those images (hands). */
const previewOf = (preview: ScenarioData): Uint8Array | null => {
  const src = preview.source.test;
  const [h, w, c] = src.weak.shape;
  const s = src.superior.shape;
  return src.weak.shape.length === 3 && c === 3 && s.length === 3 && s[0] === h && s[1] === w && s[2] === 1
    ? previewPng(src.superior.data, src.weak.data, h!, w!, Math.min(6, src.n))
    : null;
};

export const runCommand = async (argv: string[]): Promise<number> => {
  const values = parseFlags(
    argv,
    {
      scenario: { type: 'string' },
      data: { type: 'string' },
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
    process.stdout.write(`${RUN_USAGE}\n\nWrites DIR/report.json, DIR/report.html, DIR/model.kapri (the plan of the first device), one
DIR/model-NAME.kapri per device, DIR/prior.kprior, DIR/teacher.kparams and DIR/student.kparams (DIR defaults to
kapri-out) as one set, replacing a previous set; --force also replaces a folder that holds other files.\n`);
    return 0;
  }
  const manifest = values['data'] as string | undefined;
  if (manifest !== undefined && values['scenario'] !== undefined)
    throw new UsageError('--data and --scenario both name the data; give one.');
  const { config, devices } = await resolveRunConfig(values);
  const out = resolve((values['out'] as string | undefined) ?? 'kapri-out');
  const force = values['force'] === true;
  // A bad manifest is refused before anything else happens (and nothing is written).
  const dataset: Dataset | undefined = manifest !== undefined ? await loadDataset(manifest) : undefined;
  // hours of work must not end in a folder that cannot take the result
  await checkOutputFolder(out, OUTPUT_PATTERNS, force);
  // Seeds train in parallel on worker threads, one per core by default; the numbers do not depend on it.
  const jobsFlag = integerFlag('jobs', values['jobs'] as string | undefined, 1, 64);
  const jobs = Math.min(jobsFlag ?? availableParallelism(), config.seeds);
  const seedList = Array.from({ length: config.seeds }, (_, k) => config.seed + k);
  const view = progressView(process.stderr, { seeds: seedList, jobs, stages: SEED_STAGES });
  process.stderr.write(
    `kapri run: ${dataset ? dataset.data.name : config.scenario}, preset ${config.preset}, seeds ${config.seed}..${config.seed + config.seeds - 1}, output ${out}\n`,
  );
  // Sizes the scenario raises to its minimum, and what a manifest names but kapri does not read:
  // said before the run, not discovered in the report.
  const warnings = dataset
    ? dataset.warnings
    : raisedSplits(config.scenario, {
        sourceTrain: config.data.sourceTrain,
        targetTrain: config.data.targetLabelled,
        targetTest: config.data.targetTest,
      });
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const startedAt = performance.now();
  const release = onInterrupt(
    () =>
      `kapri: interrupted after ${formatDuration((performance.now() - startedAt) / 1000)}; nothing was written, ${out} is as it was`,
  );
  const r = await runPipeline(config, { devices, onProgress: view.sink, jobs, ...(dataset ? { dataset } : {}) })();
  release();
  view.done();
  if (E.isLeft(r)) throw r.left;
  const { report, files, preview } = r.right;
  await writeOutputSet(
    out,
    [
      ...files,
      ['report.json', `${JSON.stringify(report, null, 2)}\n`],
      ['report.html', await renderHtmlReport(report, previewOf(preview))],
    ],
    force,
    OUTPUT_PATTERNS,
  );
  const m = report.target.methods;
  process.stdout.write(
    `source ${report.source.metric}: teacher ${report.source.teacher.toFixed(3)}, student ${report.source.studentNoKd.toFixed(3)}, distilled ${report.source.studentKd.toFixed(3)}\n` +
      `target ${report.target.metric}: ${Object.entries(m)
        .map(([k, v]) => `${k} ${v.mean.toFixed(3)}±${v.std.toFixed(3)}`)
        .join(', ')}\n` +
      `int8 model ${report.compression.int8.bytes} B (float ${report.compression.float.bytes} B); total ${report.timings.totalS.toFixed(1)} s, at most ${report.timings.peakMemoryMb.max.toFixed(0)} MiB per seed\n` +
      (report.multiModal
        ? `fused ${report.multiModal.modalities.superior} + ${report.multiModal.modalities.weak} (source ${report.multiModal.metric}): ${report.multiModal.deployment.map((d) => `${d.device} ${d.plan['superior']}/${d.plan['weak']} ${d.metric.toFixed(3)}${d.fits ? '' : ' (does not fit)'}`).join(', ')}\n`
        : '') +
      // What makes these numbers mean less than they seem, as on the report's first screen.
      reportFlags(report)
        .map((f) => `note: ${f.message}\n`)
        .join('') +
      `model.kapri: ${report.deployment[0] ? `the ${report.deployment[0].plan['weak']} plan of ${report.deployment[0].device}` : 'int8'}, ${report.artifacts.model.bytes} B\n` +
      `wrote ${join(out, 'report.json')}, report.html, ${files.map(([n]) => n).join(', ')}\n`,
  );
  return 0;
};
