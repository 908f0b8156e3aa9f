// The runtime for browsers without a bundler: kapri/runtime and its one dependency (fp-ts, whose
// ES modules use extensionless imports a browser cannot resolve) as one ES module. It sits at
// dist/src/runtime/browser.js so that the kernels' default location (../../build/ from the module)
// is the package's dist/build/, as for the unbundled runtime.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/runtime/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: 'dist/src/runtime/browser.js',
  logLevel: 'warning',
  // Node built-ins are only imported at run time in Node, through a variable specifier.
  external: ['node:*'],
});
console.log('kapri: bundled the browser runtime into dist/src/runtime/browser.js');
