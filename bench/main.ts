#!/usr/bin/env node
/**
 * The bench program: `kapri bench [--quick] [--browser] [--json FILE] [--threads N]` runs this file in a process
 * of its own (so a measurement starts from a clean process, and the package never imports its bench).
 * Flag errors end like every kapri error: one paragraph, exit 2.
 */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { writeFileAtomic } from '../src/core/atomicWrite.js';
import { integerFlag } from '../src/cli/parseFlags.js';
import { reportFailure, UsageError } from '../src/cli/fail.js';
import { BENCH_USAGE } from '../src/cli/usage.js';
import { runBench } from './run.js';
import { runBrowserBench } from './browserBench.js';
import { formatBench } from './report.js';

const benchMain = async (argv: string[]): Promise<number> => {
  let values: { quick?: boolean; browser?: boolean; json?: string; threads?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        browser: { type: 'boolean' },
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
  const threads = integerFlag('threads', values.threads, 1, 64) ?? availableParallelism();
  const report = await (values.browser ? runBrowserBench : runBench)({
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

try {
  process.exitCode = await benchMain(process.argv.slice(2));
} catch (e) {
  process.exitCode = reportFailure(e);
}
