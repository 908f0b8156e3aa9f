import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { BUILTIN_DEVICES, builtinDevice, decodeDeviceProfile } from '../../src/resource/deviceProfile.js';

const valid = {
  name: 'pi',
  description: 'a board',
  memoryBytes: 1e6,
  latencyMs: 30,
  threads: 4,
  simd: true,
  relativeSpeed: 0.3,
};
const message = (r: E.Either<Error, unknown>): string => (E.isLeft(r) ? r.left.message : '');

describe('device profiles', () => {
  it('ships browser-desktop, phone-mid and mcu-class, each valid', () => {
    expect(BUILTIN_DEVICES.map((d) => d.name)).toEqual(['browser-desktop', 'phone-mid', 'mcu-class']);
    for (const d of BUILTIN_DEVICES) expect(E.isRight(decodeDeviceProfile({ ...d }))).toBe(true);
  });

  it('decodes a user profile', () => {
    expect(decodeDeviceProfile(valid)).toEqual(E.right(valid));
  });

  it('names a field of the wrong type', () => {
    expect(message(decodeDeviceProfile({ ...valid, latencyMs: '30' }, 'my.json'))).toMatch(
      /my\.json: field 'latencyMs' must be a number/,
    );
  });

  it('names unknown fields', () => {
    expect(message(decodeDeviceProfile({ ...valid, ram: 1 }))).toMatch(/unknown field\(s\) ram/);
  });

  it('refuses non-positive budgets and fractional threads', () => {
    expect(message(decodeDeviceProfile({ ...valid, memoryBytes: 0 }))).toMatch(/memoryBytes/);
    expect(message(decodeDeviceProfile({ ...valid, threads: 1.5 }))).toMatch(/threads/);
  });

  it('lists the built-ins for an unknown name', () => {
    expect(message(builtinDevice('watch'))).toMatch(/browser-desktop, phone-mid, mcu-class/);
  });
});
