#!/usr/bin/env node
/** The `kapri` command line. */
import { benchCommand } from './benchCommand.js';
import { devicesCommand } from './devicesCommand.js';
import { exportCommand } from './exportCommand.js';
import { importCommand } from './importCommand.js';
import { inspectCommand } from './inspectCommand.js';
import { runCommand } from './runCommand.js';
import { sweepCommand } from './sweepCommand.js';
import { workerCommand } from './workerCommand.js';
import { targetCommand } from './targetCommand.js';
import { reportFailure, UsageError } from './fail.js';
import { MAIN_USAGE } from './usage.js';
import { KAPRI_VERSION } from '../core/version.js';
import { didYouMean } from '../core/suggest.js';

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  bench: benchCommand,
  run: runCommand,
  target: targetCommand,
  sweep: sweepCommand,
  worker: workerCommand,
  inspect: inspectCommand,
  devices: devicesCommand,
  export: exportCommand,
  import: importCommand,
};

export const main = async (argv: string[]): Promise<number> => {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${MAIN_USAGE}\n`);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`kapri ${KAPRI_VERSION}\n`);
    return 0;
  }
  const run = commands[cmd];
  try {
    if (!run)
      throw new UsageError(
        `unknown command '${cmd}'${didYouMean(cmd, Object.keys(commands))}. Commands: ${Object.keys(commands).join(', ')}. See 'kapri --help'.`,
      );
    return await run(rest);
  } catch (e) {
    return reportFailure(e);
  }
};

process.exitCode = await main(process.argv.slice(2));
