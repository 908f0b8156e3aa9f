/**
 * `kapri worker --queue redis://HOST:PORT [--jobs N] [--lock-ms MS]`: takes sweep cells from the
 * queue (sweepQueue.ts) one at a time, runs each as a child `kapri run` with N seed threads, and puts
 * the cell's files back on the queue. Runs until SIGINT or SIGTERM, finishing the cell in hand first.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from './fail.js';
import { integerFlag, parseFlags } from './parseFlags.js';
import { WORKER_USAGE } from './usage.js';

export const workerCommand = async (argv: string[]): Promise<number> => {
  const values = parseFlags(
    argv,
    {
      queue: { type: 'string' },
      jobs: { type: 'string' },
      'lock-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    WORKER_USAGE,
  );
  if (values['help']) {
    process.stdout.write(`${WORKER_USAGE}\n`);
    return 0;
  }
  const queue = values['queue'] as string | undefined;
  if (queue === undefined) throw new UsageError(`kapri worker needs --queue.\n\n${WORKER_USAGE}`);
  const jobs = integerFlag('jobs', values['jobs'] as string | undefined, 1, 64) ?? availableParallelism();
  const lockMs = integerFlag('lock-ms', values['lock-ms'] as string | undefined, 1000, 3_600_000) ?? 30_000;
  const stop = new Promise<void>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM'] as const)
      process.once(s, () => {
        process.stderr.write(`kapri worker: ${s}, finishing the cell in hand\n`);
        resolve();
      });
  });
  // BullMQ (and its Redis client) load only when a queue is used.
  const { serveQueue } = await import('./sweepQueue.js');
  await serveQueue(queue, { jobs, lockMs, onLine: (l) => process.stderr.write(`${l}\n`) }, stop);
  return 0;
};
