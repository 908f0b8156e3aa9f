/** `kapri devices`: the built-in device profiles. */
import { BUILTIN_DEVICES } from '../resource/deviceProfile.js';
import { DEVICES_USAGE } from './usage.js';
import { UsageError } from './fail.js';

const mb = (b: number): string => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(0)} MiB` : `${(b / 1024).toFixed(0)} KiB`);

export const devicesCommand = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${DEVICES_USAGE}\n`);
    return 0;
  }
  if (argv.length > 0) throw new UsageError(`'kapri devices' takes no arguments, got '${argv.join(' ')}'.`);
  const rows = BUILTIN_DEVICES.map((d) => [
    d.name,
    mb(d.memoryBytes),
    `${d.latencyMs} ms`,
    String(d.threads),
    d.simd ? 'yes' : 'no',
    String(d.relativeSpeed),
    d.description,
  ]);
  const head = ['name', 'memory', 'latency', 'threads', 'simd', 'speed', 'description'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    `${[line(head), ...rows.map(line)].join('\n')}\n\nPass your own with --device FILE.json (the same fields).\n`,
  );
  return 0;
};
