import { describe, expect, it } from 'vitest';
import { thrown } from '../support/thrown.js';
import { isKapriError } from '../../src/core/errors.js';
import { decodeImage } from '../../src/data/images.js';
import { jpegOf, pngOf } from '../support/images.js';

describe('images as samples', () => {
  it('reads an 8-bit grey PNG as [H, W, 1] in [0, 1]', () => {
    const img = decodeImage(pngOf(2, 2, 0, [0, 51, 255, 102]), 'g.png');
    expect(img.shape).toEqual([2, 2, 1]);
    expect(Array.from(img.data)).toEqual([0, 0.2, 1, 0.4].map(Math.fround));
  });

  it('reads a 16-bit depth PNG over 65535, keeping its precision', () => {
    const img = decodeImage(pngOf(2, 1, 0, [1000, 65535], 16), 'depth.png');
    expect(img.shape).toEqual([1, 2, 1]);
    expect(Array.from(img.data)).toEqual([1000 / 65535, 1].map(Math.fround));
  });

  it('keeps the channels the file has: RGB 3, grey + alpha 2, RGBA 4', () => {
    expect(Array.from(decodeImage(pngOf(1, 1, 2, [255, 0, 51]), 'rgb.png').data)).toEqual([1, 0, 0.2].map(Math.fround));
    const ga = decodeImage(pngOf(1, 1, 4, [51, 255]), 'ga.png');
    expect(ga.shape).toEqual([1, 1, 2]);
    expect(Array.from(ga.data)).toEqual([0.2, 1].map(Math.fround));
    expect(decodeImage(pngOf(1, 1, 6, [1, 2, 3, 4]), 'rgba.png').shape).toEqual([1, 1, 4]);
  });

  it('reads an RGB JPEG, within its compression error', () => {
    const img = decodeImage(
      jpegOf(
        8,
        8,
        Array.from({ length: 8 * 8 * 3 }, (_, i) => (i % 3 === 0 ? 200 : 40)),
      ),
      'a.jpg',
    );
    expect(img.shape).toEqual([8, 8, 3]);
    for (let i = 0; i < img.data.length; i++) expect(img.data[i]).toBeCloseTo(i % 3 === 0 ? 200 / 255 : 40 / 255, 1);
  });

  it('tells PNG from JPEG by signature, not by name', () => {
    expect(decodeImage(pngOf(1, 1, 0, [255]), 'named.jpg').shape).toEqual([1, 1, 1]);
  });

  it('refuses bytes that are neither, and a cut PNG, naming the file', () => {
    const e = thrown(() => decodeImage(new TextEncoder().encode('hello'), 'x.png'));
    expect(isKapriError(e, 'CorruptFile')).toBe(true);
    expect((e as Error).message).toBe('x.png: not a PNG or JPEG file (bad signature)');
    const png = pngOf(
      4,
      4,
      2,
      Array.from({ length: 48 }, (_, i) => i),
    );
    const cut = thrown(() => decodeImage(png.subarray(0, png.length - 20), 'cut.png'));
    expect(isKapriError(cut, 'CorruptFile')).toBe(true);
    expect((cut as Error).message).toMatch(/^cut\.png: the PNG does not decode/);
  });
});
