// The page side of `kapri bench --browser` (bench/browser/page.ts) as one ES module at
// dist/bench/browser/page.js: two folders below dist/, so the kernels' default location
// (../../build/ from the module) is dist/build/, as for the browser runtime. Beside it the page's
// onnxruntime-web worker (bench/browser/ortWorker.ts) as dist/bench/browser/ortWorker.js, a module
// of its own since each runs in a Web Worker of its own; onnxruntime-web itself is not bundled
// (the bench serves its own files).
import { build } from 'esbuild';

await build({
  entryPoints: { page: 'bench/browser/page.ts', ortWorker: 'bench/browser/ortWorker.ts' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outdir: 'dist/bench/browser',
  logLevel: 'warning',
  // Node built-ins are only imported at run time in Node, through a variable specifier.
  external: ['node:*'],
});
console.log('kapri: bundled the browser bench page and its onnxruntime-web worker into dist/bench/browser/');
