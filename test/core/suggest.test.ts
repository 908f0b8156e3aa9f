import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from '../../src/core/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['seed', 'seed', 0],
    ['seed', 'seeds', 1],
    ['scenrio', 'scenario', 1],
    ['defualt', 'default', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('nearest', () => {
  it('finds the known word one typo away, ignoring case', () => {
    expect(nearest('scenrio', ['scenario', 'seed', 'seeds'])).toBe('scenario');
    expect(nearest('QUICK', ['quick', 'default'])).toBe('quick');
  });

  it('suggests nothing for a word that is not near any candidate', () => {
    expect(nearest('banana', ['scenario', 'seed'])).toBeNull();
    // Short words need an exact-but-one match: 'x' is not a typo of 'out'.
    expect(nearest('x', ['out', 'jobs'])).toBeNull();
    expect(nearest('anything', [])).toBeNull();
  });

  it("phrases the hint for a message, or gives '' when there is none", () => {
    expect(didYouMean('pape', ['quick', 'paper'])).toBe("; did you mean 'paper'?");
    expect(didYouMean('zzz', ['quick', 'paper'])).toBe('');
  });
});
