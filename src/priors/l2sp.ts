/** L2-SP: λ/2 · Σ (θ − θ_src)² over the chosen layers. */
import { kapriError } from '../core/errors.js';
import type { ParamTree } from '../nn/paramTree.js';
import { selectPaths, type Prior } from './prior.js';

/** Builds the L2-SP prior centred on the current values of `params` (the source-distilled student). */
export const l2spPrior = (
  params: ParamTree,
  options: { model: string; lambda: number; layers?: readonly string[] },
): Prior => {
  if (!Number.isFinite(options.lambda) || options.lambda < 0)
    throw kapriError('InvalidConfig', `l2sp lambda must be ≥ 0, got ${options.lambda}`);
  const w = new Float32Array([options.lambda / 2]);
  return {
    family: 'l2sp',
    form: 'gaussian',
    model: options.model,
    meta: { lambda: options.lambda },
    terms: selectPaths(params, options.layers ?? []).map(([path, v]) => ({
      path,
      shape: v.shape.slice(),
      mu: v.dataSync().slice() as Float32Array,
      weight: w,
    })),
  };
};
