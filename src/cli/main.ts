#!/usr/bin/env node
/** The `kapri` command line. */
import { benchCommand } from './benchCommand.js';
import { devicesCommand } from './devicesCommand.js';
import { inspectCommand } from './inspectCommand.js';
import { reportFailure, UsageError } from './fail.js';
import { MAIN_USAGE, RUN_USAGE } from './usage.js';

/** Commands whose stage has not landed yet say so plainly and exit non-zero. */
const notYet = (what: string, usage: string, issue: string) => async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  process.stderr.write(`kapri: '${what}' is not available yet: it arrives with ${issue}. 'kapri bench' works today.\n`);
  return 3;
};

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  bench: benchCommand,
  run: notYet('kapri run', RUN_USAGE, 'the main-job issue (the pipeline stages are being built)'),
  inspect: inspectCommand,
  devices: devicesCommand,
};

export const main = async (argv: string[]): Promise<number> => {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${MAIN_USAGE}\n`);
    return cmd === undefined ? 2 : 0;
  }
  const run = commands[cmd];
  try {
    if (!run) throw new UsageError(`unknown command '${cmd}'. Commands: ${Object.keys(commands).join(', ')}. See 'kapri --help'.`);
    return await run(rest);
  } catch (e) {
    return reportFailure(e);
  }
};

process.exitCode = await main(process.argv.slice(2));
