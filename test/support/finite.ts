/**
 * An asymmetric matcher for a finite number: `expect(x).toMatchObject({ mean: finite })`.
 * Stricter than `expect.any(Number)`, which a NaN or an Infinity (a broken metric) satisfies.
 */
export const finite = {
  asymmetricMatch: (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v),
  toString: (): string => 'finite',
  toAsymmetricMatcher: (): string => 'finite number',
};
