/**
 * The files of one run (report.json, report.html, model.kapri) replace the previous ones as a set:
 * they are written into a temporary folder beside the output folder, which is then renamed into its
 * place, so a reader of the folder's path finds the old set or the new one, never a mix. A SIGINT or
 * SIGTERM while the set is written removes the temporary folder before the process ends. A folder
 * holding anything but a previous set is replaced only with `force`.
 *
 * @example
 * await checkOutputFolder('out', ['report.json'], false); // before hours of work
 * await writeOutputSet('out', [['report.json', '{}']], false);
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isKapriError, kapriError } from '../core/errors.js';

/** One file of the set: its name in the folder and its content. */
export type OutputFile = readonly [name: string, data: string | Uint8Array];

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const code = (e: unknown): string => (e as { code?: string }).code ?? (e as Error).message;

const cannotWrite = (dir: string, e: unknown) =>
  kapriError('Io', `the output folder ${dir} cannot be written (${code(e)}); choose another with --out`, { path: dir });

/** The folder's real path when it exists (a symlinked folder is replaced where it really is). */
const target = async (dir: string): Promise<{ path: string; exists: boolean }> => {
  const abs = resolve(dir);
  try {
    return { path: await realpath(abs), exists: true };
  } catch (e) {
    if (code(e) === 'ENOENT') return { path: abs, exists: false };
    throw cannotWrite(abs, e);
  }
};

/**
 * Whether `entry` is the name `n`, or matches it when `n` holds one `*` (`model-*.kapri`: a file per
 * device, whose names change with the devices of a run).
 */
const matches = (entry: string, n: string): boolean => {
  const star = n.indexOf('*');
  if (star < 0) return entry === n;
  const [pre, post] = [n.slice(0, star), n.slice(star + 1)];
  return entry.length > pre.length + post.length && entry.startsWith(pre) && entry.endsWith(post);
};

/** Entries of an existing output folder that a run may replace: the set's names and temporary files left by older versions. */
const replaceable = (entry: string, names: readonly string[]): boolean =>
  names.some((n) => matches(entry, n) || (!n.includes('*') && entry.startsWith(`${n}.tmp-`))) ||
  entry.startsWith('.kapri-write-check-');

const foreignEntries = (path: string, entries: readonly string[], names: readonly string[], force: boolean): void => {
  const foreign = entries.filter((e) => !replaceable(e, names));
  if (foreign.length > 0 && !force) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
    throw kapriError(
      'Io',
      `the output folder ${path} holds files kapri did not write (${shown}); choose another with --out, or pass --force to replace the whole folder`,
      { path },
    );
  }
};

/**
 * Checks, before any work, that the output set can later replace `dir`: its parent can be created and
 * written, and `dir` is absent, empty or a previous set (anything else needs `force`). Creates no `dir`.
 * `names` are the set's file names; one may hold a `*` (`model-*.kapri`).
 */
export const checkOutputFolder = async (dir: string, names: readonly string[], force: boolean): Promise<void> => {
  const t = await target(dir);
  if (t.exists) {
    if (!(await stat(t.path)).isDirectory())
      throw kapriError('Io', `the output folder ${t.path} is a file, not a folder; choose another with --out`, {
        path: t.path,
      });
    foreignEntries(t.path, await readdir(t.path), names, force);
  }
  const parent = dirname(t.path);
  const probe = join(parent, `.${basename(t.path)}.kapri-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(probe);
    await rm(probe, { recursive: true, force: true });
  } catch (e) {
    throw cannotWrite(t.path, e);
  }
};

/**
 * Writes `files` as one set into `dir`, replacing what was there (see the module comment). Ends
 * with the new set in place or, on any failure, with the old one untouched and no temporary folder left.
 * `names` (default: the files' names) are what a previous set may hold; one may hold a `*`.
 */
export const writeOutputSet = async (
  dir: string,
  files: readonly OutputFile[],
  force: boolean,
  names: readonly string[] = files.map(([n]) => n),
): Promise<void> => {
  const t = await target(dir);
  const parent = dirname(t.path);
  const stem = `.${basename(t.path)}.kapri-`;
  const tmp = join(parent, `${stem}new-${process.pid}-${randomBytes(6).toString('hex')}`);
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    release();
    // end as the signal would have ended the process, unless someone else handles it
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = () => {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    try {
      await mkdir(parent, { recursive: true });
      await mkdir(tmp);
      for (const [name, data] of files) await writeFile(join(tmp, name), data);
    } catch (e) {
      throw cannotWrite(t.path, e);
    }
    // From here on everything is synchronous: no signal handler can run between the two renames.
    let old: string | null = null;
    try {
      if (lstatSync(t.path, { throwIfNoEntry: false })) {
        const st = statSync(t.path);
        if (!st.isDirectory())
          throw kapriError('Io', `the output folder ${t.path} is a file, not a folder; choose another with --out`, {
            path: t.path,
          });
        foreignEntries(t.path, readdirSync(t.path), names, force);
        chmodSync(tmp, st.mode & 0o7777);
        old = join(parent, `${stem}old-${process.pid}-${randomBytes(6).toString('hex')}`);
        renameSync(t.path, old);
      }
      try {
        renameSync(tmp, t.path);
      } catch (e) {
        if (old) renameSync(old, t.path);
        throw e;
      }
    } catch (e) {
      throw isKapriError(e) ? e : cannotWrite(t.path, e);
    }
    if (old) rmSync(old, { recursive: true, force: true });
  } finally {
    cleanup();
    // Released only after the event loop has polled once more, not now: a signal that arrives
    // during the synchronous renames is caught by Node but dispatched at the next poll, and if the
    // listeners were gone by then it would be swallowed and the process carry on. Measured with a
    // writer killed at random moments: released at once, 1 of 30 kills was lost; after one
    // setImmediate, 9 of 100; after two (one full poll in between), 0 of 160.
    setImmediate(() => setImmediate(release));
  }
};
