// tfjs-core's published bundles register no gradients, and its register_all_gradients.js is an ESM
// tree with directory imports that plain Node cannot load. Bundle it once into build/ so that both
// Node and the browser can import it; tfjs keeps its registries on globals, so this copy registers
// into the same gradient registry as the tfjs-core the library imports.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const coreDir = dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
await build({
  entryPoints: [join(coreDir, 'dist/register_all_gradients.js')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  outfile: 'build/tfjs-gradients.js',
  logLevel: 'warning',
  // tfjs-core's package.json names no side-effect-free files; keep everything the entry registers.
  treeShaking: true,
});
console.log('kapri: bundled tfjs-core gradients into build/tfjs-gradients.js');
