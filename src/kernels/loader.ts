/**
 * Loads the kernels: detects capabilities, chooses a build, reads and compiles it, instantiates it
 * with its memory (a shared memory for the threads build) and puts an arena over that memory.
 *
 * @example
 * const k = await loadKernels();            // the best single-thread build for this engine
 * console.log(k.build, k.capabilities.simd);
 */
import { kapriError } from '../core/errors.js';
import { Arena } from './arena.js';
import { chooseBuild, detectCapabilities, type Capabilities, type KernelBuild } from './capabilities.js';
import type { KernelExports } from './kernelExports.js';
import { checkKernelExportArities, checkKernelExportNames } from './kernelSignatures.js';
import { compileWasm, defaultWasmUrl, readWasmBytes, type WasmSource } from './wasmBytes.js';

/** Options of {@link loadKernels}. */
export interface LoadKernelsOptions {
  /** Force a build instead of choosing by capability; refused with `Unsupported` if it cannot run. */
  readonly build?: KernelBuild;
  /** Prefer the threads build when the engine supports it (default false). */
  readonly threads?: boolean;
  /** Where to read the build from (default `build/kapri-<build>.wasm` of the package). */
  readonly source?: WasmSource;
  /** Maximum memory of the threads build in 64 KiB pages (must match asconfig.json's; default 16384). */
  readonly maximumPages?: number;
}

/** A loaded, instantiated kernel build with its memory and arena. */
export interface KernelModule {
  readonly build: KernelBuild;
  readonly capabilities: Capabilities;
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  readonly arena: Arena;
  /** The compiled module, to share with workers (threads build). */
  readonly module: WebAssembly.Module;
}

const THREADS_INITIAL_PAGES = 32;
const THREADS_MAXIMUM_PAGES = 16384;

const abort = (): never => {
  throw kapriError('Unsupported', 'kapri kernels: a kernel aborted (an internal invariant failed)');
};

const canRun = (build: KernelBuild, caps: Capabilities): boolean =>
  caps.simd &&
  (build === 'simd' ||
    (build === 'relaxed' && caps.relaxedSimd.madd && caps.relaxedSimd.dotI8I7) ||
    (build === 'threads' && caps.threads.available));

/** Loads and instantiates a kernel build (see {@link LoadKernelsOptions}). */
export const loadKernels = async (options: LoadKernelsOptions = {}): Promise<KernelModule> => {
  const capabilities = await detectCapabilities();
  const build = options.build ?? chooseBuild(capabilities, options.threads ?? false);
  if (build === null) {
    throw kapriError(
      'Unsupported',
      'kapri kernels need WebAssembly SIMD, which this engine lacks (Node ≥ 20 and current browsers have it).',
    );
  }
  if (!canRun(build, capabilities)) {
    throw kapriError(
      'Unsupported',
      `kapri kernels: the '${build}' build cannot run here; capabilities: ${JSON.stringify(capabilities)}`,
      { build },
    );
  }
  const source = options.source ?? defaultWasmUrl(build);
  const module = await compileWasm(await readWasmBytes(source), source);
  checkKernelExportNames(module);
  let importedMemory: WebAssembly.Memory | undefined;
  if (build === 'threads') {
    importedMemory = new WebAssembly.Memory({
      initial: THREADS_INITIAL_PAGES,
      maximum: options.maximumPages ?? THREADS_MAXIMUM_PAGES,
      shared: true,
    });
  }
  const env: Record<string, WebAssembly.ImportValue> = { abort };
  if (importedMemory) env['memory'] = importedMemory;
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, { env });
  } catch (e) {
    throw kapriError(
      'KernelLoad',
      `kapri kernels: instantiating the '${build}' build failed (${(e as Error).message}). Rebuild with \`npm run build:wasm\`.`,
    );
  }
  // Names were checked before instantiating; parameter counts can only be read from the instance.
  checkKernelExportArities(instance.exports);
  const exports = instance.exports as unknown as KernelExports & { memory?: WebAssembly.Memory };
  const memory = importedMemory ?? exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw kapriError(
      'KernelLoad',
      `kapri kernels: the '${build}' build exports no memory. Rebuild with \`npm run build:wasm\`.`,
    );
  }
  const maxBytes = build === 'threads' ? (options.maximumPages ?? THREADS_MAXIMUM_PAGES) * 65536 : undefined;
  const arena = new Arena(memory, exports.heap_base(), maxBytes === undefined ? {} : { maxBytes });
  return { build, capabilities, exports, memory, arena, module };
};

const cache = new Map<string, Promise<KernelModule>>();

/** The shared default module (one per build choice), loaded once. */
export const defaultKernels = (options: { threads?: boolean } = {}): Promise<KernelModule> => {
  const key = options.threads ? 'threads' : 'single';
  let p = cache.get(key);
  if (!p) {
    p = loadKernels({ threads: options.threads ?? false });
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
};

/** What was detected and which build the default module runs. */
export const capabilities = async (
  options: { threads?: boolean } = {},
): Promise<Capabilities & { build: KernelBuild }> => {
  const k = await defaultKernels(options);
  return { ...k.capabilities, build: k.build };
};
