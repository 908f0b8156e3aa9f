// Embedding the kapri runtime in Node: load a model.kapri from `kapri run` and run it.
// Usage: node examples/node/run.mjs kapri-out/model.kapri
import { isKapriError, loadModel } from 'kapri/runtime';

const file = process.argv[2] ?? 'kapri-out/model.kapri';
let model;
try {
  model = await loadModel(file);
} catch (e) {
  // A missing or corrupt file is a KapriError with a message a person can act on: print it, no stack.
  console.error(isKapriError(e) ? `run.mjs: ${e.message}` : `run.mjs: unexpected failure: ${e}`);
  process.exit(1);
}
const size = model.inputShape.reduce((a, b) => a * b, 1);
const input = Float32Array.from({ length: size }, (_, i) => (Math.sin(i) + 1) / 2);

model.run(input); // warm-up: the first call also compiles the kernels' hot paths
const t0 = performance.now();
const { output, feature } = model.run(input);
const ms = performance.now() - t0;

console.log(`model ${model.model.header.name}: input [${model.inputShape.join(', ')}]`);
console.log(`output (${output.length} values): ${Array.from(output.slice(0, 6), (v) => v.toFixed(4)).join(', ')} …`);
console.log(`feature (${feature?.length ?? 0} values); one inference took ${ms.toFixed(2)} ms on the SIMD kernels`);
model.dispose();
