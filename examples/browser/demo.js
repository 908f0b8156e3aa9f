// The browser demo's logic, importable by the page and by the tests: load a model onto the SIMD
// kernels (the threads build over a Web Worker pool when the page is cross-origin isolated) and run
// it on a deterministic input, timing one inference after a warm-up.
// The browser build of kapri/runtime: one ES module, no bundler needed.
import { createThreadPool, loadKernels, loadModel } from '../../dist/src/runtime/browser.js';

/** The demo input for a model: a smooth deterministic pattern in [0, 1]. */
export const demoInput = (size) => Float32Array.from({ length: size }, (_, i) => (Math.sin(i) + 1) / 2);

/** Runs a model's bytes on the demo input; returns its outputs, the latency and how it ran. */
export const runDemo = async (bytes, options = {}) => {
  const isolated = globalThis.crossOriginIsolated === true;
  // Threads need shared memory, which a browser grants only to cross-origin-isolated pages.
  const threads = options.threads ?? (isolated ? Math.min(globalThis.navigator?.hardwareConcurrency ?? 2, 4) : 1);
  const kernels = await loadKernels(threads > 1 ? { build: 'threads' } : {});
  const pool = threads > 1 ? await createThreadPool(kernels, threads) : null;
  const exe = await loadModel(bytes, pool ? { kernels, runner: pool } : { kernels });
  try {
    const input = demoInput(exe.inputShape.reduce((a, b) => a * b, 1));
    exe.run(input);
    const t0 = performance.now();
    const outputs = exe.run(input);
    const ms = performance.now() - t0;
    return { outputs, ms, name: exe.model.header.name, isolated, build: kernels.build, threads };
  } finally {
    exe.dispose();
    await pool?.dispose();
  }
};
