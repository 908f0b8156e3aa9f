/** Wall-clock median of `reps` calls of `f` after `warmups` untimed calls, in milliseconds. */
export const medianMs = (f: () => void, reps: number, warmups = 1): number => {
  for (let i = 0; i < warmups; i++) f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1]!;
};
