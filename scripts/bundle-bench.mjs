// The page side of `kapri bench --browser` (bench/browser/page.ts) as one ES module at
// dist/bench/browser/page.js: two folders below dist/, so the kernels' default location
// (../../build/ from the module) is dist/build/, as for the browser runtime.
import { build } from 'esbuild';

await build({
  entryPoints: ['bench/browser/page.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: 'dist/bench/browser/page.js',
  logLevel: 'warning',
  // Node built-ins are only imported at run time in Node, through a variable specifier.
  external: ['node:*'],
});
console.log('kapri: bundled the browser bench page into dist/bench/browser/page.js');
