/**
 * The page side of `kapri bench --browser` (bundled by scripts/bundle-bench.mjs to
 * dist/bench/browser/page.js, served by bench/browserBench.ts): exposes `kapriBrowserBench(options)`,
 * which runs the browser sections and returns what they measured; progress goes to the console.
 */
import { detectCapabilities } from '../../src/kernels/capabilities.js';
import { benchInt8Relaxed, type RelaxedBenchResult } from '../kernelsInt8Relaxed.js';

/** What the page hands back to Node. */
export interface BrowserBenchPart {
  readonly int8: RelaxedBenchResult;
  readonly cores: number;
  readonly crossOriginIsolated: boolean;
  readonly relaxedDotAdd: boolean;
}

(globalThis as { kapriBrowserBench?: unknown }).kapriBrowserBench = async (o: {
  quick: boolean;
  threads: number;
}): Promise<BrowserBenchPart> => {
  const caps = await detectCapabilities();
  const int8 = await benchInt8Relaxed({ ...o, log: (l) => console.log(`bench: ${l}`) });
  return {
    int8,
    cores: caps.hardwareConcurrency,
    crossOriginIsolated: caps.threads.crossOriginIsolated === true,
    relaxedDotAdd: caps.relaxedSimd.dotI8I7Add,
  };
};
