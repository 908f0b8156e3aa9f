/**
 * `kapri target --data MANIFEST --prior FILE --student FILE`: a teacherless target trained from the
 * prior and student an earlier `kapri run` saved (src/pipeline/runTarget.ts). The manifest names the
 * target's splits only. Everything is judged before any training (the prior against the target and
 * the config, the output folder); on success report.json, report.html, model.kapri and one model-NAME.kapri per
 * device replace the folder's previous set as one set; on any error nothing is written.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { kapriError } from '../core/errors.js';
import { loadTargetManifest } from '../data/manifest.js';
import { OUTPUT_PATTERNS } from '../pipeline/artifacts.js';
import { renderHtmlReport } from '../pipeline/htmlReport.js';
import { runTarget, type NamedBytes } from '../pipeline/runTarget.js';
import { UsageError } from './fail.js';
import { checkOutputFolder, writeOutputSet } from './outputSet.js';
import { integerFlag, parseFlags } from './parseFlags.js';
import { progressView } from './progressView.js';
import { resolveRunConfig } from './runConfig.js';
import { TARGET_USAGE } from './usage.js';

const readBytes = async (file: string, what: string): Promise<NamedBytes> => {
  try {
    return { file, bytes: new Uint8Array(await readFile(file)) };
  } catch (e) {
    throw kapriError(
      'Io',
      `cannot read the ${what} ${file}: ${(e as { code?: string }).code ?? (e as Error).message}`,
      {
        file,
      },
    );
  }
};

export const targetCommand = async (argv: string[]): Promise<number> => {
  const values = parseFlags(
    argv,
    {
      data: { type: 'string' },
      prior: { type: 'string' },
      student: { type: 'string' },
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
    TARGET_USAGE,
  );
  if (values['help']) {
    process.stdout.write(`${TARGET_USAGE}\n\nWrites DIR/report.json, DIR/report.html, DIR/model.kapri (the plan of the first device) and one DIR/model-NAME.kapri
per device (DIR defaults to kapri-target-out) as one set.\n`);
    return 0;
  }
  for (const f of ['data', 'prior', 'student'])
    if (values[f] === undefined) throw new UsageError(`kapri target needs --${f}.\n\n${TARGET_USAGE}`);
  const { config, devices } = await resolveRunConfig(values);
  const manifest = values['data'] as string;
  const loaded = await loadTargetManifest(manifest);
  const prior = await readBytes(values['prior'] as string, 'prior');
  const student = await readBytes(values['student'] as string, 'student parameters');
  const out = resolve((values['out'] as string | undefined) ?? 'kapri-target-out');
  const force = values['force'] === true;
  await checkOutputFolder(out, OUTPUT_PATTERNS, force);
  // Seeds train in parallel on worker threads, one per core by default; the numbers do not depend on it.
  const jobs = Math.min(
    integerFlag('jobs', values['jobs'] as string | undefined, 1, 64) ?? availableParallelism(),
    config.seeds,
  );
  for (const w of loaded.notes) process.stderr.write(`warning: ${w}\n`);
  process.stderr.write(
    `kapri target: ${manifest} from ${prior.file}, preset ${config.preset}, seeds ${config.seed}..${config.seed + config.seeds - 1} (${jobs} at once), output ${out}\n`,
  );
  const view = progressView(process.stderr);
  const r = await runTarget({
    config,
    devices,
    target: loaded.target,
    manifest,
    dataFiles: loaded.files,
    prior,
    student,
    jobs,
    onProgress: view.sink,
  })();
  view.done();
  if (E.isLeft(r)) throw r.left;
  const { report, files } = r.right;
  await writeOutputSet(
    out,
    [
      ...files,
      ['report.json', `${JSON.stringify(report, null, 2)}\n`],
      ['report.html', await renderHtmlReport(report, null)],
    ],
    force,
    OUTPUT_PATTERNS,
  );
  const m = report.target.methods;
  process.stdout.write(
    `target ${report.target.metric}: ${Object.entries(m)
      .map(([k, v]) => `${k} ${v.mean.toFixed(3)}±${v.std.toFixed(3)}`)
      .join(', ')}\n` +
      `model.kapri: ${report.deployment[0] ? `the ${report.deployment[0].plan['weak']} plan of ${report.deployment[0].device}` : 'int8'}, ${report.artifacts.model.bytes} B; total ${report.timings.totalS.toFixed(1)} s, at most ${report.timings.peakMemoryMb.max.toFixed(0)} MiB per seed\n` +
      `wrote ${join(out, 'report.json')}, report.html, ${files.map(([n]) => n).join(', ')}\n`,
  );
  return 0;
};
