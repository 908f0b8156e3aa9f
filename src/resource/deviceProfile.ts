/**
 * Device profiles: what a deployment may spend. Built in: `browser-desktop`, `phone-mid`,
 * `mcu-class`; users pass their own as JSON with the same fields (validated, errors name the field).
 */
import * as E from 'fp-ts/lib/Either.js';
import { fail, type KapriError } from '../core/errors.js';

export interface DeviceProfile {
  readonly name: string;
  readonly description: string;
  /** Bytes available for weights and activations of the student. */
  readonly memoryBytes: number;
  /** Latency budget of one inference, in milliseconds. */
  readonly latencyMs: number;
  /** Threads the runtime may use (1 = single thread). */
  readonly threads: number;
  /** Whether the device runs WebAssembly SIMD. */
  readonly simd: boolean;
  /**
   * Speed relative to this machine's measured kernel latency (0.25 = four times slower). Latencies
   * measured here are divided by it to predict the device's.
   */
  readonly relativeSpeed: number;
}

export const BUILTIN_DEVICES: readonly DeviceProfile[] = [
  {
    name: 'browser-desktop',
    description: 'a desktop browser tab: plenty of memory, threads when cross-origin isolated',
    memoryBytes: 64 * 1024 * 1024,
    latencyMs: 20,
    threads: 4,
    simd: true,
    relativeSpeed: 1,
  },
  {
    name: 'phone-mid',
    description: 'a mid-range phone browser: a few MB for the model, single thread',
    memoryBytes: 4 * 1024 * 1024,
    latencyMs: 10,
    threads: 1,
    simd: true,
    relativeSpeed: 0.4,
  },
  {
    name: 'mcu-class',
    description: 'a microcontroller-class target (WASM on an embedded runtime): ~256 KB for the model',
    memoryBytes: 256 * 1024,
    latencyMs: 50,
    threads: 1,
    simd: true,
    relativeSpeed: 0.02,
  },
];

const FIELDS: readonly [keyof DeviceProfile, 'string' | 'number' | 'boolean'][] = [
  ['name', 'string'],
  ['description', 'string'],
  ['memoryBytes', 'number'],
  ['latencyMs', 'number'],
  ['threads', 'number'],
  ['simd', 'boolean'],
  ['relativeSpeed', 'number'],
];

/** Validates a parsed JSON value as a device profile; errors name the field and what was expected. */
export const decodeDeviceProfile = (x: unknown, source = 'device profile'): E.Either<KapriError, DeviceProfile> => {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    return fail('InvalidConfig', `${source}: expected a JSON object with ${FIELDS.map(([k]) => k).join(', ')}`);
  const o = x as Record<string, unknown>;
  const unknownKeys = Object.keys(o).filter((k) => !FIELDS.some(([f]) => f === k));
  if (unknownKeys.length > 0)
    return fail(
      'InvalidConfig',
      `${source}: unknown field(s) ${unknownKeys.join(', ')}; the fields are ${FIELDS.map(([k]) => k).join(', ')}`,
    );
  for (const [k, t] of FIELDS) {
    if (typeof o[k] !== t)
      return fail('InvalidConfig', `${source}: field '${k}' must be a ${t}, got ${JSON.stringify(o[k]) ?? 'nothing'}`);
  }
  const p = o as unknown as DeviceProfile;
  const positive: (keyof DeviceProfile)[] = ['memoryBytes', 'latencyMs', 'relativeSpeed'];
  for (const k of positive) {
    const v = p[k] as number;
    if (!Number.isFinite(v) || v <= 0)
      return fail('InvalidConfig', `${source}: field '${k}' must be a finite number > 0, got ${v}`);
  }
  if (!Number.isInteger(p.threads) || p.threads < 1)
    return fail('InvalidConfig', `${source}: field 'threads' must be an integer ≥ 1, got ${p.threads}`);
  return E.right(p);
};

/** A built-in profile by name; an unknown name lists the known ones. */
export const builtinDevice = (name: string): E.Either<KapriError, DeviceProfile> => {
  const d = BUILTIN_DEVICES.find((x) => x.name === name);
  return d
    ? E.right(d)
    : fail(
        'InvalidConfig',
        `unknown device '${name}'; built in: ${BUILTIN_DEVICES.map((x) => x.name).join(', ')}, or pass a JSON file`,
      );
};
