/** Generation time of each embedded scenario at its default size (target: under 5 s each). */
import { generateActions } from '../src/scenarios/actions/actions.js';
import { generateCardio } from '../src/scenarios/cardio/cardio.js';
import { generateGauss } from '../src/scenarios/gauss/gauss.js';
import { generateHands } from '../src/scenarios/hands/hands.js';
import { generatePhysio } from '../src/scenarios/physio/physio.js';
import type { ScenarioData } from '../src/scenarios/scenario.js';
import type { BenchCase, BenchOptions } from './benchCase.js';

const GENERATORS: [string, (seed: number) => ScenarioData][] = [
  ['hands', (seed) => generateHands({ seed })],
  ['physio', (seed) => generatePhysio({ seed })],
  ['actions', (seed) => generateActions({ seed })],
  ['cardio', (seed) => generateCardio({ seed })],
  ['gauss', (seed) => generateGauss({ seed })],
];

export const benchScenarios = async (opts: BenchOptions): Promise<BenchCase[]> => {
  const cases: BenchCase[] = [];
  for (const [name, gen] of GENERATORS) {
    opts.log(`scenario generation: ${name}`);
    const times: number[] = [];
    let samples = 0;
    for (let r = 0; r < (opts.quick ? 1 : 3); r++) {
      const t0 = performance.now();
      const d = gen(r + 1);
      times.push(performance.now() - t0);
      samples =
        d.source.train.n + d.source.val.n + d.source.test.n + d.target.train.n + d.target.val.n + d.target.test.n;
    }
    times.sort((a, b) => a - b);
    cases.push({
      op: 'scenario_generate',
      shape: `${name} (${samples} samples)`,
      impl: 'js',
      msMedian: times[times.length >> 1]!,
      gops: 0,
    });
  }
  return cases;
};
