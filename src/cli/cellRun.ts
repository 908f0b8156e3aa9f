/**
 * One cell of a sweep run as `kapri run` in a child process: the cell's resolved configuration goes
 * in a file of its own, the run writes into a private folder, and the cell's result is every file the
 * run wrote (report.json, report.html, the models, the prior and the float networks). A child process
 * rather than this thread: a queue worker must keep its event loop free to renew its job's lock while
 * the cell trains for minutes, and a killed worker must take its training with it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kapriError } from '../core/errors.js';
import { siblingModule } from '../core/siblingModule.js';
import type { Config } from '../pipeline/config.js';

/** What a cell needs to run anywhere: plain data, as a queue carries it. */
export interface CellJob {
  readonly id: string;
  readonly config: Config;
  /** A manifest path (it must be readable where the cell runs). */
  readonly data?: string;
  /** Seeds the cell trains at once on worker threads. */
  readonly jobs: number;
}

/** The files a cell's run wrote, name → bytes. */
export type CellFiles = Record<string, Uint8Array>;

/** The child's one-paragraph error ("kapri: message"), or the end of its stderr. */
const errorOf = (id: string, code: number | null, stderr: string) => {
  const said = stderr.lastIndexOf('kapri: ');
  const why =
    said >= 0
      ? stderr.slice(said + 'kapri: '.length).trim()
      : `kapri run exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`;
  return kapriError('Unsupported', `sweep cell ${id} failed: ${why}`, { cell: id, code });
};

/**
 * Runs `job` and resolves to the files it wrote; its progress lines go to `onLine`. Rejects with a
 * KapriError naming the cell and carrying the child's own message.
 */
export const runCell = async (job: CellJob, onLine: (line: string) => void): Promise<CellFiles> => {
  const dir = await mkdtemp(join(tmpdir(), 'kapri-cell-'));
  try {
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify(job.config));
    const out = join(dir, 'out');
    const entry = siblingModule(import.meta.url, 'main');
    const args = [
      ...entry.execArgv,
      fileURLToPath(entry.url),
      'run',
      '--preset',
      job.config.preset,
      '--config',
      configFile,
      ...(job.data !== undefined ? ['--data', job.data] : []),
      '--jobs',
      String(job.jobs),
      '--out',
      out,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
      pending += chunk;
      const lines = pending.split(/[\r\n]/);
      pending = lines.pop()!;
      for (const l of lines) if (l.trim()) onLine(l);
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw errorOf(job.id, code, stderr);
    const files: CellFiles = {};
    for (const name of (await readdir(out)).sort()) files[name] = new Uint8Array(await readFile(join(out, name)));
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
