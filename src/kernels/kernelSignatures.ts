/**
 * What a kernel module must export: every function of build/kernelSignatures.js, which
 * scripts/build-wasm.mjs generates from the build itself, with the same number of parameters. A
 * stale build, another version's or a foreign module is refused at load, naming the exports, before
 * a kernel is called with arguments it would read differently.
 */
import { KERNEL_SIGNATURES } from '../../build/kernelSignatures.js';
import { kapriError } from '../core/errors.js';

/** The parameter and result counts of one exported function. */
export interface KernelSignature {
  readonly params: number;
  readonly results: number;
}

/** Every function a kernel build exports, by name, in the build's export order. */
export const kernelSignatures: Readonly<Record<string, KernelSignature>> = KERNEL_SIGNATURES;

const REBUILD = 'it is stale or not a kapri build. Rebuild with `npm run build:wasm`.';

/** Refuses (`KernelLoad`) a compiled module that does not export every kernel function. */
export const checkKernelExportNames = (module: WebAssembly.Module): void => {
  const functions = new Set(
    WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name),
  );
  const missing = Object.keys(kernelSignatures).filter((n) => !functions.has(n));
  if (missing.length > 0)
    throw kapriError('KernelLoad', `kapri kernels: the module lacks ${missing.join(', ')}; ${REBUILD}`, { missing });
};

/**
 * Refuses (`KernelLoad`) an instance whose kernel functions take other numbers of parameters than
 * the build's (an exported wasm function's `length` is its parameter count), naming each.
 */
export const checkKernelExportArities = (exports: WebAssembly.Exports): void => {
  const wrong = Object.entries(kernelSignatures).flatMap(([name, { params }]) => {
    const fn = exports[name];
    const actual = typeof fn === 'function' ? fn.length : null;
    return actual === params ? [] : [{ name, expected: params, actual }];
  });
  if (wrong.length > 0) {
    const list = wrong
      .map((w) =>
        w.actual === null
          ? `${w.name} is not a function`
          : `${w.name} takes ${w.actual} parameter(s), this runtime calls it with ${w.expected}`,
      )
      .join('; ');
    throw kapriError('KernelLoad', `kapri kernels: ${list}; ${REBUILD}`, { wrong });
  }
};
