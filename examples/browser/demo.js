// The browser demo's logic, importable by the page and by the browser test: load a model and run it
// on a deterministic input, timing the inference.
import { executorFromBytes } from '../../dist/src/runtime/index.js';

/** The demo input for a model: a smooth deterministic pattern in [0, 1]. */
export const demoInput = (size) => Float32Array.from({ length: size }, (_, i) => (Math.sin(i) + 1) / 2);

/** Runs a model's bytes once on the demo input; returns its outputs and the latency. */
export const runDemo = (bytes) => {
  const exe = executorFromBytes(bytes);
  const input = demoInput(exe.inputShape.reduce((a, b) => a * b, 1));
  const t0 = performance.now();
  const outputs = exe.run(input);
  return { outputs, ms: performance.now() - t0, name: exe.model.header.name, isolated: globalThis.crossOriginIsolated === true };
};
