import { defineQs8Suite } from './suites/qs8Suite.js';

for (const build of ['simd', 'relaxed', 'threads'] as const) defineQs8Suite(build);
