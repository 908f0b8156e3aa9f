/**
 * The configuration and devices of a `kapri run` or `kapri target`, from the flags both share: the
 * preset, then `--config FILE` laid over it, then `--scenario`, `--seed`, `--seeds` and `--device`;
 * decoded as a whole, so an error names the field's path and the file it came from.
 */
import { readFile } from 'node:fs/promises';
import { kapriError, unwrap } from '../core/errors.js';
import { decodeConfig, deepMerge, type Config } from '../pipeline/config.js';
import { PRESETS } from '../pipeline/presets.js';
import { BUILTIN_DEVICES, builtinDevice, decodeDeviceProfile, type DeviceProfile } from '../resource/deviceProfile.js';
import { integerFlag, type FlagValues } from './parseFlags.js';
import { didYouMean } from '../core/suggest.js';

/** Reads and parses a JSON file; errors name the file and what it was for. */
export const readJson = async (file: string, what: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw kapriError('Io', `cannot read the ${what} ${file}: ${(e as { code?: string }).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw kapriError('InvalidConfig', `the ${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
};

/** A device by built-in name, or a profile from a JSON file. */
const device = async (spec: string): Promise<DeviceProfile> => {
  if (spec.endsWith('.json')) return unwrap(decodeDeviceProfile(await readJson(spec, 'device profile'), spec));
  return unwrap(builtinDevice(spec));
};

/**
 * The resolved configuration of the flags `values`, and its devices (the built-in ones when the
 * config names none).
 *
 * @example
 * const { config, devices } = await resolveRunConfig({ preset: 'quick', seed: '3' });
 */
export const resolveRunConfig = async (values: FlagValues): Promise<{ config: Config; devices: DeviceProfile[] }> => {
  const presetName = (values['preset'] as string | undefined) ?? 'default';
  if (!(presetName in PRESETS))
    throw kapriError(
      'InvalidConfig',
      `unknown preset '${presetName}'${didYouMean(presetName, Object.keys(PRESETS))}; presets: ${Object.keys(PRESETS).join(', ')}`,
    );
  let raw: unknown = PRESETS[presetName as Config['preset']];
  if (values['config'] !== undefined) raw = deepMerge(raw, await readJson(values['config'] as string, 'configuration'));
  const flags: Record<string, unknown> = {};
  if (values['scenario'] !== undefined) flags['scenario'] = values['scenario'];
  const seed = integerFlag('seed', values['seed'] as string | undefined, 0);
  if (seed !== undefined) flags['seed'] = seed;
  const seeds = integerFlag('seeds', values['seeds'] as string | undefined, 1);
  if (seeds !== undefined) flags['seeds'] = seeds;
  if (values['device'] !== undefined) flags['devices'] = [values['device']];
  const config = unwrap(
    decodeConfig(
      deepMerge(raw, flags),
      values['config'] !== undefined ? (values['config'] as string) : 'configuration',
    ),
  );
  const devices = config.devices.length ? await Promise.all(config.devices.map(device)) : [...BUILTIN_DEVICES];
  return { config, devices };
};
