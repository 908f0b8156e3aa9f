/** Poisson draws from a seeded {@link Rng} (scenario generators: event counts such as skin-conductance responses). */
import { kapriError } from './errors.js';
import type { Rng } from './rng.js';

/**
 * One draw from Poisson(mean) by inversion of the CDF (one uniform per draw, so a generator's stream
 * of draws stays aligned whatever the count). Meant for the small means of simulated event counts:
 * inversion walks the CDF from 0, so its cost grows with the mean, and it refuses means above 50.
 *
 * @example
 * const responses = poisson(createRng(1), 2.5); // 0, 1, 2, … with mean 2.5
 */
export const poisson = (rng: Rng, mean: number): number => {
  if (!Number.isFinite(mean) || mean < 0 || mean > 50)
    throw kapriError('InvalidConfig', `poisson: the mean must be a number in [0, 50], got ${mean}`);
  const u = rng.uniform();
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  // The tail beyond mean + 20·√mean + 20 has probability far below 2^-53: stop there.
  const cap = Math.ceil(mean + 20 * Math.sqrt(mean) + 20);
  while (u >= cdf && k < cap) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
};
