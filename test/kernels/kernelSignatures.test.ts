/**
 * The kernel signatures: build/kernelSignatures.js (generated from the build by
 * scripts/build-wasm.mjs) lists exactly the functions each build exports with their parameter counts,
 * and the hand-written call types of src/kernels/*Exports.ts agree with it name for name, in
 * parameter and result counts. The type-level half is checked by `npm run typecheck` (part of
 * `npm test`): editing a call type without the AssemblyScript source, or the source without the call
 * type, fails it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { KERNEL_SIGNATURES } from '../../build/kernelSignatures.js';
import type { KernelExports } from '../../src/kernels/kernelExports.js';
import { kernelSignatures } from '../../src/kernels/kernelSignatures.js';
import { loadKernels } from '../../src/kernels/loader.js';

type Arity<F> = F extends (...args: infer A) => unknown ? A['length'] : never;
type Results<F> = F extends (...args: never[]) => infer R ? ([R] extends [number] ? 1 : 0) : never;
/** The call types, as counts. */
type Declared = { [K in keyof KernelExports]: { params: Arity<KernelExports[K]>; results: Results<KernelExports[K]> } };
/** The build's signatures, as counts. */
type Built = {
  -readonly [K in keyof typeof KERNEL_SIGNATURES]: {
    params: (typeof KERNEL_SIGNATURES)[K]['params'];
    results: (typeof KERNEL_SIGNATURES)[K]['results'];
  };
};

describe('kernel signatures', () => {
  it('the TypeScript call types name the same exports with the same parameter and result counts as the build', () => {
    expectTypeOf<Declared>().toEqualTypeOf<Built>();
  });

  it.each(['simd', 'relaxed', 'threads'] as const)(
    'list exactly the functions the %s build exports, with their parameter counts',
    async (build) => {
      const k = await loadKernels({ build });
      const functions = WebAssembly.Module.exports(k.module).filter((e) => e.kind === 'function');
      expect(functions.map((e) => e.name)).toEqual(Object.keys(kernelSignatures));
      const exports = k.exports as unknown as Record<string, (...args: number[]) => unknown>;
      const arities = Object.fromEntries(functions.map((e) => [e.name, exports[e.name]!.length]));
      expect(arities).toEqual(Object.fromEntries(Object.entries(kernelSignatures).map(([n, s]) => [n, s.params])));
    },
  );
});
