/** `kapri bench [--quick] [--json FILE] [--threads N]`. */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { writeFileAtomic } from '../core/atomicWrite.js';
import { runBench } from '../../bench/run.js';
import { formatBench } from '../../bench/report.js';
import { BENCH_USAGE } from './usage.js';
import { UsageError } from './fail.js';

export const benchCommand = async (argv: string[]): Promise<number> => {
  let values: { quick?: boolean; json?: string; threads?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        json: { type: 'string' },
        threads: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${BENCH_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const cores = availableParallelism();
  const threads = values.threads === undefined ? cores : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new UsageError(`--threads takes a whole number from 1 to 64, got '${values.threads}'.`);
  }
  const report = await runBench({
    quick: values.quick ?? false,
    threads,
    log: (l) => process.stderr.write(`bench: ${l}\n`),
  });
  process.stdout.write(`${formatBench(report)}\n`);
  if (values.json !== undefined) {
    await writeFileAtomic(values.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`bench: wrote ${values.json}\n`);
  }
  return 0;
};
