/**
 * `kapri sweep FILE [--out DIR] [--jobs N] [--queue redis://HOST:PORT]`: every cell of a sweep
 * (sweepSpec.ts), each a whole `kapri run` whose files land in DIR/cells/ID/, then the combined report
 * DIR/sweep.json and DIR/sweep.html. Cells whose folder is complete are not run again, so a sweep that
 * stopped resumes where it stopped. Without --queue the cells run here one after another (each on
 * N seed threads); with --queue they become jobs that `kapri worker` processes take (sweepQueue.ts).
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { unwrap } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomicWrite.js';
import type { Report } from '../pipeline/report.js';
import { combineSweep } from '../pipeline/sweep/combineSweep.js';
import { renderSweepHtml } from '../pipeline/sweep/sweepHtml.js';
import { decodeSweepSpec, sweepCells, type SweepCell } from '../pipeline/sweep/sweepSpec.js';
import { runCell, type CellFiles, type CellJob } from './cellRun.js';
import { UsageError } from './fail.js';
import { integerFlag, parseFlags } from './parseFlags.js';
import { readJson } from './runConfig.js';
import { writeOutputSet } from './outputSet.js';
import { SWEEP_USAGE } from './usage.js';

const cellDir = (out: string, id: string) => join(out, 'cells', id);

/** A cell is done when its folder holds its report (the folder is written as one set, never in part). */
const isDone = async (out: string, id: string): Promise<boolean> =>
  (await stat(join(cellDir(out, id), 'report.json')).catch(() => null))?.isFile() === true;

const storeCell = (out: string, id: string, files: CellFiles): Promise<void> =>
  writeOutputSet(cellDir(out, id), Object.entries(files), true);

const cellJob = (c: SweepCell, jobs: number): CellJob => ({
  id: c.id,
  config: c.config,
  ...(c.data !== undefined ? { data: c.data } : {}),
  jobs,
});

export const sweepCommand = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${SWEEP_USAGE}\n`);
    return 0;
  }
  const [file, ...rest] = argv;
  if (file === undefined || file.startsWith('-'))
    throw new UsageError(`kapri sweep takes a sweep file first.\n\n${SWEEP_USAGE}`);
  const values = parseFlags(
    rest,
    { out: { type: 'string' }, jobs: { type: 'string' }, queue: { type: 'string' } },
    SWEEP_USAGE,
  );
  const spec = unwrap(decodeSweepSpec(await readJson(file, 'sweep'), file));
  const cells = unwrap(await sweepCells(spec));
  const out = resolve((values['out'] as string | undefined) ?? 'kapri-sweep-out');
  const jobs = integerFlag('jobs', values['jobs'] as string | undefined, 1, 64) ?? availableParallelism();
  const queue = values['queue'] as string | undefined;
  await mkdir(join(out, 'cells'), { recursive: true });

  const todo: SweepCell[] = [];
  for (const c of cells) if (!(await isDone(out, c.id))) todo.push(c);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(
    `kapri sweep: ${file}, ${cells.length} cells (${cells.length - todo.length} already done), ${
      queue ? `on the queue ${queue}` : `here, ${jobs} seed job${jobs === 1 ? '' : 's'} per cell`
    }, output ${out}`,
  );
  let finished = cells.length - todo.length;
  const onCell = async (id: string, files: CellFiles) => {
    await storeCell(out, id, files);
    finished += 1;
    say(`cell ${id}: stored (${finished} of ${cells.length} done)`);
  };
  if (queue !== undefined) {
    // BullMQ (and its Redis client) load only when a queue is used.
    const { enqueueAndCollect } = await import('./sweepQueue.js');
    await enqueueAndCollect(
      queue,
      todo.map((c) => cellJob(c, jobs)),
      { onCell, onLine: say },
    );
  } else {
    for (const c of todo) {
      say(`cell ${c.id}: running`);
      await onCell(c.id, await runCell(cellJob(c, jobs), (line) => say(`cell ${c.id}: ${line}`)));
    }
  }
  const reports = await Promise.all(
    cells.map(async (c) => JSON.parse(await readFile(join(cellDir(out, c.id), 'report.json'), 'utf8')) as Report),
  );
  const combined = combineSweep(file, spec.preset, cells, reports);
  await writeFileAtomic(join(out, 'sweep.json'), `${JSON.stringify(combined, null, 2)}\n`);
  await writeFileAtomic(join(out, 'sweep.html'), await renderSweepHtml(combined));
  process.stdout.write(
    `wrote ${join(out, 'sweep.json')}, sweep.html and ${cells.length} cell folders under ${join(out, 'cells')}\n`,
  );
  return 0;
};
