/**
 * The larger QModel fuzz run (issue 14): seeded mutations with the checksums fixed up, each
 * classified as a typed refusal or a run on both engines with bit-equal finite outputs; any other
 * class is a defect and makes the script exit 1. The suite in test/runtime/qmodelFuzz.test.ts runs
 * the first 10,000 cases of seed 14; this runs more.
 *
 *   npx tsx scripts/fuzz-qmodel.ts [--cases N] [--seed S] [--from I]
 */
import { loadKernels } from '../src/kernels/loader.js';
import { FUZZ_CLASSES, runQModelFuzz } from '../test/runtime/qmodelFuzzCases.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const cases = arg('cases', 200_000);
const seed = arg('seed', 14);
const from = arg('from', 0);

const k = await loadKernels({ build: 'simd' });
const t0 = performance.now();
const report = runQModelFuzz(k, seed, cases, { maxMacs: 1e6, maxArenaBytes: 2 ** 24 }, from);
const seconds = (performance.now() - t0) / 1000;
console.log(`QModel fuzz: seed ${seed}, cases ${from}..${from + cases - 1}, ${seconds.toFixed(1)} s`);
for (const c of FUZZ_CLASSES) console.log(`  ${c.padEnd(20)} ${report.counts[c]}`);
console.log(`  ${'skipped (too long)'.padEnd(20)} ${report.skipped}`);
for (const [c, e] of Object.entries(report.examples)) console.log(`  first ${c}: case ${e.index}: ${e.detail}`);
const defects = FUZZ_CLASSES.filter((c) => c !== 'refused' && c !== 'ran').reduce((a, c) => a + report.counts[c], 0);
process.exit(defects === 0 ? 0 : 1);
