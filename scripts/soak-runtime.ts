/**
 * Soak of the edge runtime (issue 14's evidence): the example student (test/fixtures golden model) is
 * loaded on the kernels and run N times on a fixed set of inputs; every output must be bit-identical
 * to the first run's, and the process's resident memory and the wasm memory must stay flat (their
 * growth after a warm-up is printed; a growth beyond 32 MiB (the garbage collector alone moves it by ±10 MiB) or a changed bit makes the script exit 1).
 *
 *   npx tsx scripts/soak-runtime.ts [--runs N]      (default 200,000)
 */
import { readFileSync } from 'node:fs';
import { loadModel } from '../src/runtime/loadModel.js';
import { loadKernels } from '../src/kernels/loader.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('runs', 200_000);
const golden = JSON.parse(readFileSync(new URL('../test/fixtures/executorGolden.json', import.meta.url), 'utf8')) as {
  model: string;
};
const bytes = Uint8Array.from(Buffer.from(golden.model, 'base64'));
const kernels = await loadKernels({ build: 'simd' });
const model = await loadModel(bytes, { kernels });
const n = model.inputShape.reduce((a, b) => a * b, 1);
const inputs = Array.from({ length: 8 }, (_, s) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + s) * 1.5),
);
const bitsOf = (o: Record<string, Float32Array>) =>
  Object.values(o)
    .map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'))
    .join('|');
const expected = inputs.map((x) => bitsOf(model.run(x)));
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const warm = Math.min(10_000, Math.floor(runs / 10));
let baseRss = 0;
let baseWasm = 0;
let changed = 0;
const t0 = performance.now();
for (let r = 0; r < runs; r++) {
  const k = r % inputs.length;
  const out = model.run(inputs[k]!);
  // Comparing every output costs more than the inference; every 97th is compared bit for bit.
  if (r % 97 === 0 && bitsOf(out) !== expected[k]) changed++;
  if (r === warm) {
    global.gc?.();
    baseRss = process.memoryUsage().rss;
    baseWasm = kernels.memory.buffer.byteLength;
  }
  if ((r + 1) % 50_000 === 0)
    console.log(
      `  ${r + 1} runs: rss ${mib(process.memoryUsage().rss)} MiB, wasm memory ${mib(kernels.memory.buffer.byteLength)} MiB`,
    );
}
const seconds = (performance.now() - t0) / 1000;
global.gc?.();
const rssGrowth = process.memoryUsage().rss - baseRss;
const wasmGrowth = kernels.memory.buffer.byteLength - baseWasm;
console.log(
  `soak: ${runs} inferences in ${seconds.toFixed(1)} s; outputs changed: ${changed}; after warm-up rss grew ${mib(rssGrowth)} MiB, wasm memory ${mib(wasmGrowth)} MiB`,
);
model.dispose();
process.exit(changed === 0 && rssGrowth < 32 * 2 ** 20 && wasmGrowth === 0 ? 0 : 1);
