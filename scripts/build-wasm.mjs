// Builds the three kernel variants of asconfig.json (baseline SIMD, relaxed SIMD, threads) into build/.
// Run by `npm run build:wasm` (and so by `prepare` on npm install).
import asc from 'assemblyscript/asc';
import { mkdir } from 'node:fs/promises';

const targets = ['simd', 'relaxed', 'threads'];
await mkdir('build', { recursive: true });
for (const target of targets) {
  const { error, stderr } = await asc.main(['--config', 'asconfig.json', '--target', target], {
    stdout: process.stdout,
    stderr: process.stderr,
  });
  if (error) {
    console.error(`kapri: building the '${target}' kernels failed: ${error.message}\n${stderr.toString()}`);
    process.exit(1);
  }
}
console.log(`kapri: built kernels (${targets.join(', ')}) into build/`);
