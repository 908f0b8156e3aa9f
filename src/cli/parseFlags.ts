/**
 * Command-line flags, parsed strictly, with the errors a person can act on: an unknown flag gets the
 * nearest known one ("did you mean"), a flag given twice is refused (node's parser silently keeps the
 * last), and a value that starts with '-' (`--seed -1`) is taken as the value, so that the range check
 * can say what is wrong with it instead of node's "argument is ambiguous".
 */
import { parseArgs } from 'node:util';
import { UsageError } from './fail.js';
import { nearest } from '../core/suggest.js';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
export type FlagValues = Record<string, string | boolean | undefined>;

/** Joins `--name -1` into `--name=-1` for string flags, so that a negative number reaches the range check. */
const joinDashValues = (argv: readonly string[], spec: FlagSpec): string[] => {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') ? a.slice(2) : null;
    const next = argv[i + 1];
    if (name !== null && spec[name]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
};

/** The long name a token sets, or null for a value or a short flag. */
const longName = (token: string): string | null => (token.startsWith('--') ? token.slice(2).split('=')[0]! : null);

/**
 * Parses `argv` against `spec`; throws a one-line UsageError on an unknown flag (naming the nearest
 * known one) or a flag given twice, and one with `usage` appended on a missing value or a positional.
 *
 * @example
 * parseFlags(['--seed', '-1'], { seed: { type: 'string' } }, USAGE) // → { seed: '-1' }
 */
export const parseFlags = (argv: readonly string[], spec: FlagSpec, usage: string): FlagValues => {
  const args = joinDashValues(argv, spec);
  const seen = new Set<string>();
  for (const t of args) {
    const name = longName(t);
    if (name === null || !(name in spec)) continue;
    if (seen.has(name)) throw new UsageError(`--${name} is given twice; give it once.`);
    seen.add(name);
  }
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values as FlagValues;
  } catch (e) {
    const unknown = args.map(longName).find((n) => n !== null && !(n in spec));
    if (unknown !== undefined && unknown !== null) {
      const guess = nearest(unknown, Object.keys(spec));
      // the command whose flags these are, from its usage's first line ('Usage: kapri sweep …')
      const command = /^Usage: (kapri \w+)/.exec(usage)?.[1] ?? 'kapri';
      throw new UsageError(
        `unknown option '--${unknown}'${guess ? `; did you mean '--${guess}'?` : ''} ('${command} --help' lists them)`,
      );
    }
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
};

/**
 * An integer flag in [min, max], or undefined when absent.
 *
 * @example
 * integerFlag('seeds', '3', 1) // → 3;  integerFlag('seed', '-1', 0) throws "--seed takes an integer ≥ 0, got '-1'."
 */
export const integerFlag = (
  name: string,
  v: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`--${name} takes ${range}, got '${v}'.`);
  }
  return n;
};

/**
 * The arguments of a converter command, `FILE --flag OUT`: the file first, then exactly one string
 * flag, required. `command` and `what` name them in the usage errors.
 *
 * @example
 * fileAndTarget(['m.kapri', '--onnx', 'm.onnx'], 'export', 'a model file', 'onnx', 'FILE, the ONNX file to write', USAGE)
 * // → { file: 'm.kapri', target: 'm.onnx' }
 */
export const fileAndTarget = (
  argv: readonly string[],
  command: string,
  what: string,
  flag: string,
  flagWhat: string,
  usage: string,
  extra: FlagSpec = {},
): { file: string; target: string; flags: FlagValues } => {
  const [file, ...rest] = argv;
  if (file === undefined || file.startsWith('-'))
    throw new UsageError(`'kapri ${command}' takes ${what} first.\n\n${usage}`);
  const flags = parseFlags(rest, { ...extra, [flag]: { type: 'string' } }, usage);
  const target = flags[flag];
  if (typeof target !== 'string' || target === '')
    throw new UsageError(`'kapri ${command}' needs --${flag} ${flagWhat}.\n\n${usage}`);
  return { file, target, flags };
};
