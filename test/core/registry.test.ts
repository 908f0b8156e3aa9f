import { describe, expect, it } from 'vitest';
import { isKapriError } from '../../src/core/errors.js';
import { createRegistry } from '../../src/core/registry.js';
import { thrown } from '../support/thrown.js';

describe('createRegistry', () => {
  it('returns what was registered, and lists the names in registration order', () => {
    const r = createRegistry<number>('shape');
    r.register('triangle', 3);
    r.register('square', 4);
    expect(r.get('square')).toBe(4);
    expect(r.has('triangle')).toBe(true);
    expect(r.has('circle')).toBe(false);
    expect(r.names()).toEqual(['triangle', 'square']);
  });

  it('refuses a second definition under a taken name with DuplicateName, keeping the first', () => {
    const r = createRegistry<number>('shape');
    r.register('triangle', 3);
    const e = thrown(() => r.register('triangle', 4));
    expect(isKapriError(e, 'DuplicateName')).toBe(true);
    expect((e as Error).message).toBe("a shape named 'triangle' is already registered; choose another name");
    expect((e as { details: unknown }).details).toEqual({ registry: 'shape', name: 'triangle' });
    expect(r.get('triangle')).toBe(3);
  });

  it('names the registered ones when asked for an unknown name', () => {
    const r = createRegistry<number>('shape');
    r.register('triangle', 3);
    r.register('square', 4);
    const e = thrown(() => r.get('circle'));
    expect(isKapriError(e, 'InvalidConfig')).toBe(true);
    expect((e as Error).message).toBe("unknown shape 'circle'; shapes: triangle, square");
  });

  it('suggests the registered name an unknown one is a typo of', () => {
    const r = createRegistry<number>('shape');
    r.register('triangle', 3);
    r.register('square', 4);
    expect((thrown(() => r.get('sqaure')) as Error).message).toBe(
      "unknown shape 'sqaure'; shapes: triangle, square; did you mean 'square'?",
    );
  });

  it('refuses names that would not read as a word in a config or a report', () => {
    const r = createRegistry<number>('shape');
    for (const bad of ['', '3d', 'a b', 'x.y'])
      expect(
        isKapriError(
          thrown(() => r.register(bad, 1)),
          'InvalidArgument',
        ),
      ).toBe(true);
    expect(r.names()).toEqual([]);
  });
});
