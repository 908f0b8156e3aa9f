export * from './errors.js';
export * from './rng.js';
export * from './shape.js';
export * from './progress.js';
export * from './atomicWrite.js';
export * from './crc32.js';
export * from './medianMs.js';
export * from './cholesky.js';
