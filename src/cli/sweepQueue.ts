/**
 * A sweep's cells as jobs on BullMQ (Redis), for sweeps that outgrow one machine. The sweep enqueues
 * every cell under its id (idempotent: a cell already queued, running or finished is not added again,
 * so a sweep that is run again picks up where it stopped) and collects each cell's files from the
 * finished job, once. `kapri worker` processes on any machine take the jobs one at a time and run each
 * cell as a child `kapri run`; a worker that dies mid-job stops renewing its lock, BullMQ's stalled
 * check moves the job back to the queue and another worker runs it again from the start.
 * Why BullMQ: the widely used, maintained job queue of Node on Redis, with atomic (Lua) moves, job
 * locks and stalled-job recovery — nothing here re-implements a queue.
 */
import { Queue, Worker } from 'bullmq';
import { kapriError } from '../core/errors.js';
import { runCell, type CellFiles, type CellJob } from './cellRun.js';

export const QUEUE_NAME = 'kapri-sweep-cells';

/** BullMQ's connection options for `redis://HOST:PORT[/DB]`; anything else is refused. */
export const connectionOf = (url: string) => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw kapriError('InvalidArgument', `--queue takes redis://HOST:PORT[/DB], got '${url}'`);
  }
  if (u.protocol !== 'redis:' || u.hostname === '')
    throw kapriError('InvalidArgument', `--queue takes redis://HOST:PORT[/DB], got '${url}'`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw kapriError('InvalidArgument', `--queue: the database of '${url}' must be an integer ≥ 0`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    // BullMQ's workers block on Redis; a bounded retry count would fail them on a slow reply.
    maxRetriesPerRequest: null,
  };
};

/** A job's result travels through Redis as JSON: files as base64. */
type EncodedFiles = Record<string, string>;
const encode = (f: CellFiles): EncodedFiles =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
const decode = (f: EncodedFiles): CellFiles =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface EnqueueOptions {
  /** Called once per cell with its files, as each finishes (in any order). */
  readonly onCell: (id: string, files: CellFiles) => Promise<void>;
  readonly onLine: (line: string) => void;
  /** How often finished jobs are looked for (ms). */
  readonly pollMs?: number;
}

/**
 * Puts `cells` on the queue at `url` (each under its id, up to 3 attempts) and waits until every one
 * has finished, handing each cell's files to `onCell` exactly once. A job that failed in an earlier
 * sweep is retried; a job that fails for good ends the sweep with its reason.
 */
export const enqueueAndCollect = async (url: string, cells: readonly CellJob[], o: EnqueueOptions): Promise<void> => {
  const queue = new Queue(QUEUE_NAME, { connection: connectionOf(url) });
  try {
    await queue.waitUntilReady().catch((e: Error) => {
      throw kapriError('Io', `cannot reach the queue at ${url}: ${e.message}`, { url });
    });
    for (const c of cells) {
      const old = await queue.getJob(c.id);
      if (old && (await old.getState()) === 'failed') await old.retry('failed');
      else if (!old)
        await queue.add('cell', c, {
          jobId: c.id,
          attempts: 3,
          backoff: { type: 'fixed', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        });
    }
    o.onLine(
      `queued ${cells.length} cells on ${url} (queue '${QUEUE_NAME}'); waiting for 'kapri worker --queue ${url}'`,
    );
    const pending = new Set(cells.map((c) => c.id));
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const job = await queue.getJob(id);
        const state = job ? await job.getState() : 'missing';
        if (state === 'completed') {
          pending.delete(id);
          await o.onCell(id, decode(job!.returnvalue as EncodedFiles));
        } else if (state === 'failed') {
          throw kapriError('Unsupported', `sweep cell ${id} failed on a worker: ${job!.failedReason}`, { cell: id });
        } else if (state === 'missing') {
          throw kapriError('Io', `sweep cell ${id} is no longer on the queue at ${url} (was the queue cleared?)`, {
            cell: id,
          });
        }
      }
      if (pending.size > 0) await sleep(o.pollMs ?? 500);
    }
  } finally {
    await queue.close();
  }
};

export interface WorkerOptions {
  /** Seeds a cell trains at once (worker threads in the child run). */
  readonly jobs: number;
  /** How long a job's lock lasts without renewal (ms): a dead worker's job is run again after about this long. */
  readonly lockMs: number;
  readonly onLine: (line: string) => void;
}

/**
 * Takes cells from the queue at `url` one at a time until `stop` resolves, then finishes the cell in
 * hand and returns (a worker killed outright has its cell run again by another).
 */
export const serveQueue = async (url: string, o: WorkerOptions, stop: Promise<void>): Promise<void> => {
  const worker = new Worker<CellJob, EncodedFiles>(
    QUEUE_NAME,
    async (job) => {
      const started = performance.now();
      o.onLine(`cell ${job.id}: started (attempt ${job.attemptsMade + 1})`);
      const files = await runCell({ ...job.data, jobs: o.jobs }, (line) => o.onLine(`cell ${job.id}: ${line}`));
      o.onLine(`cell ${job.id}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return encode(files);
    },
    {
      connection: connectionOf(url),
      concurrency: 1,
      lockDuration: o.lockMs,
      stalledInterval: o.lockMs,
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, e) => o.onLine(`cell ${job?.id ?? '?'}: failed: ${e.message}`));
  try {
    await worker.waitUntilReady().catch((e: Error) => {
      throw kapriError('Io', `cannot reach the queue at ${url}: ${e.message}`, { url });
    });
    o.onLine(`worker ready on ${url} (queue '${QUEUE_NAME}', ${o.jobs} seed job${o.jobs === 1 ? '' : 's'} per cell)`);
    await stop;
  } finally {
    await worker.close();
  }
};
