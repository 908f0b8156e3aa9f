/**
 * Reports to render without running the pipeline: a real `kapri run --preset quick --scenario gauss
 * --seeds 5` report (test/fixtures/report.gauss5.json; its l2sp, fisher and kap tie exactly, having
 * kept their first checkpoint), and edge cases derived from it: one seed, every method tied, the
 * teacher below the student, optionally every method at the metric's ceiling.
 */
import { readFileSync } from 'node:fs';
import { compareAll } from '../../src/core/pairedStats.js';
import { summarize, type Report } from '../../src/pipeline/report.js';

const FIXTURE = new URL('../fixtures/report.gauss5.json', import.meta.url);

/** The 5-seed gauss report. */
export const gaussReport = (): Report => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Report;

/** Every method against every other, as runPipeline pairs them. */
const allPairs = (names: readonly string[]): [string, string][] =>
  names.flatMap((m) => names.filter((b) => b !== m).map((b) => [m, b] as [string, string]));

/**
 * One seed; every target method scores `score`; the teacher (0.40) scores below the student trained
 * alone (0.55) and the distilled one (0.50). Comparisons are recomputed, so they are what the
 * pipeline would have written for these numbers.
 */
export const edgeReport = (score = 0.5): Report => {
  const r = gaussReport();
  const names = Object.keys(r.target.methods);
  const methods = Object.fromEntries(names.map((n) => [n, summarize([score])]));
  const src = { teacher: [0.4], studentNoKd: [0.55], studentKd: [0.5] };
  return {
    ...r,
    seeds: [0],
    source: {
      ...r.source,
      teacher: 0.4,
      studentNoKd: 0.55,
      studentKd: 0.5,
      perSeed: src,
      validation: { teacher: [0.42], studentNoKd: [0.56], studentKd: [0.52] },
      distill: r.source.distill.slice(0, 1),
      distillCandidates: r.source.distillCandidates.slice(0, 1),
      stepsRun: r.source.stepsRun.slice(0, 1),
      comparisons: compareAll(src, true, [['studentKd', 'studentNoKd']]),
    },
    target: {
      ...r.target,
      methods,
      validation: methods,
      comparisons: compareAll(Object.fromEntries(names.map((n) => [n, [score]])), true, allPairs(names)),
    },
  };
};
