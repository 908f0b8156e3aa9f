// dist/ must be self-contained: compiled modules find the kernels and the gradient bundle at
// ../../build relative to themselves (dist/src/kernels → dist/build), as the sources do (src/kernels → build).
import { cp, mkdir } from 'node:fs/promises';
await mkdir('dist/build', { recursive: true });
await cp('build', 'dist/build', { recursive: true });
console.log('kapri: copied build/ into dist/build/');
