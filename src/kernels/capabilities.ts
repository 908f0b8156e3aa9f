/**
 * Capability detection by known-answer probes (see probes.ts), and the choice of kernel build.
 */
import { detectEnvironment, importNode, type Environment } from './environment.js';
import {
  probeRelaxedDotI8I7,
  probeRelaxedDotI8I7Add,
  probeRelaxedMadd,
  probeSimd,
  probeWasmAtomics,
} from './probes.js';

/** The three kernel builds of asconfig.json. */
export type KernelBuild = 'simd' | 'relaxed' | 'threads';

/** What the engine can do, each bit established by running a probe. */
export interface Capabilities {
  readonly environment: Environment;
  /** Baseline WebAssembly SIMD (every build needs it). */
  readonly simd: boolean;
  readonly relaxedSimd: {
    /** `f32x4.relaxed_madd` answers right. */
    readonly madd: boolean;
    /** `i16x8.relaxed_dot_i8x16_i7x16_s` answers right. */
    readonly dotI8I7: boolean;
    /** `i32x4.relaxed_dot_i8x16_i7x16_add_s` answers right (Node 20 gets it wrong). */
    readonly dotI8I7Add: boolean;
    /** Whether a V8 flag had to be set to enable relaxed SIMD (Node < 22). */
    readonly flagSet: boolean;
  };
  readonly threads: {
    readonly sharedArrayBuffer: boolean;
    /** `globalThis.crossOriginIsolated` in a browser; null in Node, where it does not apply. */
    readonly crossOriginIsolated: boolean | null;
    /** Wasm atomics on a shared memory answer right. */
    readonly atomics: boolean;
    /** The worker API the pool would use. */
    readonly workers: 'worker_threads' | 'web-workers' | 'none';
    /** All of the above: the threads build can run here. */
    readonly available: boolean;
  };
  /** Logical cores reported by the platform. */
  readonly hardwareConcurrency: number;
}

let relaxedFlagSet: boolean | null = null;

/**
 * Node 20/21 gate relaxed SIMD behind a V8 flag. Setting it before any relaxed module compiles is
 * enough; the probes then decide whether the instructions are trustworthy.
 */
const enableRelaxedSimdFlag = async (env: Environment): Promise<boolean> => {
  if (relaxedFlagSet !== null) return relaxedFlagSet;
  relaxedFlagSet = false;
  if (env !== 'node') return false;
  if (probeRelaxedMadd()) return false;
  try {
    const v8 = await importNode<{ setFlagsFromString(flags: string): void }>('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxedFlagSet = true;
  } catch {
    relaxedFlagSet = false;
  }
  return relaxedFlagSet;
};

const detectWorkers = async (env: Environment): Promise<Capabilities['threads']['workers']> => {
  if (env === 'browser') return typeof Worker !== 'undefined' ? 'web-workers' : 'none';
  try {
    await importNode('node:worker_threads');
    return 'worker_threads';
  } catch {
    return 'none';
  }
};

const hardwareConcurrency = async (env: Environment): Promise<number> => {
  if (env === 'browser')
    return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  const os = await importNode<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  return os.availableParallelism?.() ?? os.cpus().length;
};

let cached: Promise<Capabilities> | null = null;

/** Runs every probe once (cached) and reports what this engine can do. */
export const detectCapabilities = (): Promise<Capabilities> => {
  cached ??= (async () => {
    const environment = detectEnvironment();
    const flagSet = await enableRelaxedSimdFlag(environment);
    const sab = typeof SharedArrayBuffer !== 'undefined';
    const coi =
      environment === 'browser' ? (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true : null;
    const atomics = probeWasmAtomics();
    const workers = await detectWorkers(environment);
    return {
      environment,
      simd: probeSimd(),
      relaxedSimd: {
        madd: probeRelaxedMadd(),
        dotI8I7: probeRelaxedDotI8I7(),
        dotI8I7Add: probeRelaxedDotI8I7Add(),
        flagSet,
      },
      threads: {
        sharedArrayBuffer: sab,
        crossOriginIsolated: coi,
        atomics,
        workers,
        available: sab && atomics && workers !== 'none' && coi !== false,
      },
      hardwareConcurrency: await hardwareConcurrency(environment),
    };
  })();
  return cached;
};

/**
 * Chooses a build: `threads` only when asked for and available; otherwise `relaxed` when the relaxed
 * instructions its kernels use (madd and the i8·i7 dot, not the accumulate form) answer right;
 * otherwise baseline `simd`. Returns null when even baseline SIMD is missing.
 */
export const chooseBuild = (caps: Capabilities, wantThreads: boolean): KernelBuild | null => {
  if (!caps.simd) return null;
  if (wantThreads && caps.threads.available) return 'threads';
  if (caps.relaxedSimd.madd && caps.relaxedSimd.dotI8I7) return 'relaxed';
  return 'simd';
};
