/**
 * A seeded, splittable pseudo-random generator (xoshiro128**, seeded through splitmix32), so that
 * every random choice in kapri is reproducible from one integer seed. Not for cryptography.
 *
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // same number for seed 42 on every platform
 * const child = rng.fork('teacher-init'); // an independent stream, stable by label
 */
import { kapriError } from './errors.js';

export interface Rng {
  /** Next uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** An in-place Fisher–Yates shuffle; returns the same array. */
  shuffle<T>(xs: T[]): T[];
  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** An independent generator derived from this one's seed and a label (does not advance this one). */
  fork(label: string | number): Rng;
  /** The seed this generator was created from. */
  readonly seed: number;
}

const splitmix32 = (state: number): [number, number] => {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [s, z >>> 0];
};

/** FNV-1a of a label, to derive child seeds. */
const hashLabel = (label: string | number): number => {
  const s = String(label);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** Creates a generator from an integer seed (any 32-bit value; non-integers are rejected). */
export const createRng = (seed: number): Rng => {
  if (!Number.isInteger(seed)) throw kapriError('InvalidArgument', `a seed must be an integer, got ${seed}`);
  let st = seed | 0;
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const [ns, out] = splitmix32(st);
    st = ns;
    s[i] = out;
  }
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  let spare: number | null = null;

  const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  // 53-bit uniform from two draws so that doubles are fully random.
  const uniform = (): number => ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / 9007199254740992;
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0)
      throw kapriError('InvalidArgument', `rng.int(n) needs a positive integer n, got ${n}`);
    return Math.floor(uniform() * n);
  };
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = tmp;
    }
    return xs;
  };
  const permutation = (n: number): Int32Array => {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
    return p;
  };
  return {
    seed,
    nextU32,
    uniform,
    range: (lo, hi) => lo + (hi - lo) * uniform(),
    int,
    normal,
    shuffle,
    permutation,
    fork: (label) => createRng((Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2f) ^ hashLabel(label)) | 0),
  };
};
