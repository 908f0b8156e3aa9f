/** "Did you mean": the known word nearest to a mistyped one, if it is near enough to be a typo. */

/** Levenshtein distance (insertions, deletions, substitutions; a swap of neighbours counts 1). */
export const editDistance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
};

/**
 * The candidate nearest to `word` (case-insensitive), when it is within 2 edits and a third of the
 * word's length (so short words do not match anything); null otherwise.
 *
 * @example
 * nearest('scenrio', ['scenario', 'seed']) // → 'scenario'
 */
export const nearest = (word: string, candidates: readonly string[]): string | null => {
  let best: { c: string; d: number } | null = null;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (best === null || d < best.d) best = { c, d };
  }
  if (best === null) return null;
  return best.d <= Math.min(2, Math.max(1, Math.floor(word.length / 3))) ? best.c : null;
};

/** `; did you mean 'x'?` when a candidate is near `word`, else ''. */
export const didYouMean = (word: string, candidates: readonly string[]): string => {
  const n = nearest(word, candidates);
  return n === null ? '' : `; did you mean '${n}'?`;
};
