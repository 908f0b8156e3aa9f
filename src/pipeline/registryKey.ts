/**
 * An io-ts codec for a name a registry holds (src/core/registry.ts): the config accepts exactly the
 * registered names, including ones registered after this module loaded, and its `name` (what a decode
 * error says was expected) lists them as they are when the error is written.
 *
 * @example
 * const Scenario = registryKey(scenarioRegistry);
 * Scenario.name; // 'hands | physio | actions | cardio | gauss'
 * Scenario.is('hands'); // true
 */
import * as t from 'io-ts';
import type { Registry } from '../core/registry.js';
import { didYouMean } from '../core/suggest.js';

export const registryKey = (registry: Pick<Registry<unknown>, 'has' | 'names'>): t.Type<string> => {
  const is = (u: unknown): u is string => typeof u === 'string' && registry.has(u);
  // A near miss carries its suggestion in the failure's message (decodeConfig appends it).
  const hint = (u: unknown) => (typeof u === 'string' ? didYouMean(u, registry.names()) : '');
  const codec = new t.Type<string>(
    'registry key',
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c, hint(u) || undefined)),
    t.identity,
  );
  // io-ts fixes `name` at construction; a getter keeps the message in step with later registrations.
  Object.defineProperty(codec, 'name', { get: () => registry.names().join(' | '), enumerable: true });
  return codec;
};
