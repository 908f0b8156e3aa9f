/** Byte-level views of a scenario's splits, for determinism tests. */
import { expect } from 'vitest';
import type { ScenarioData } from '../../src/scenarios/scenario.js';

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Every array of every split, named: `source.train.weak`, `target.test.label`, ... */
export const scenarioArrays = (d: ScenarioData): Map<string, Buffer> => {
  const out = new Map<string, Buffer>();
  for (const side of ['source', 'target'] as const) {
    for (const split of ['train', 'val', 'test'] as const) {
      const s = d[side][split] as {
        weak: { data: Float32Array };
        superior?: { data: Float32Array };
        label?: { data: Float32Array | Int32Array };
      };
      out.set(`${side}.${split}.weak`, bytes(s.weak.data));
      if (s.superior) out.set(`${side}.${split}.superior`, bytes(s.superior.data));
      if (s.label) out.set(`${side}.${split}.label`, bytes(s.label.data));
    }
  }
  return out;
};

/** Names of the arrays whose bytes differ between two scenarios (all names when shapes differ). */
export const differingArrays = (a: ScenarioData, b: ScenarioData): string[] => {
  const x = scenarioArrays(a);
  const y = scenarioArrays(b);
  return [...x.keys()].filter((k) => !y.has(k) || !x.get(k)!.equals(y.get(k)!));
};

/** The arrays holding samples (not labels), which a seed must change. */
export const sampleArrays = (d: ScenarioData): string[] =>
  [...scenarioArrays(d).keys()].filter((k) => !k.endsWith('.label'));

/**
 * Expects `generate` to be deterministic by seed: the same seed gives the same bytes in every split,
 * another seed other samples in every split (a generator that ignores its seed fails).
 */
export const expectDeterministicBySeed = (generate: (seed: number) => ScenarioData, seed: number): void => {
  const a = generate(seed);
  expect(differingArrays(a, generate(seed))).toEqual([]);
  const other = differingArrays(a, generate(seed + 1));
  expect(sampleArrays(a).filter((k) => !other.includes(k))).toEqual([]);
};

/**
 * Expects a generator at `shift` 1 to give, for each of `options`, exactly the bytes it gives without
 * the option (the stated target, drawn in the same order as before the option existed).
 */
export const expectShiftOneAsWithout = <O extends object>(
  generate: (o: O & { readonly shift?: number }) => ScenarioData,
  options: readonly O[],
): void => {
  for (const o of options) expect(differingArrays(generate({ ...o, shift: 1 }), generate(o))).toEqual([]);
};
