/** PNG and JPEG files for tests, written by the same libraries kapri reads them with (pngjs, jpeg-js). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as {
  PNG: { new (o: object): { data: Buffer }; sync: { write(p: object, o: object): Buffer } };
};
const jpeg = require('jpeg-js') as { encode(img: object, quality: number): { data: Buffer } };

/** A PNG of colour type `colorType` (0 grey, 2 RGB, 4 grey + alpha, 6 RGBA) from its samples. */
export const pngOf = (
  width: number,
  height: number,
  colorType: 0 | 2 | 4 | 6,
  values: number[],
  bitDepth: 8 | 16 = 8,
) => {
  const alpha = colorType === 4 || colorType === 6;
  const o = { width, height, colorType, bitDepth, inputColorType: colorType, inputHasAlpha: alpha };
  const p = new PNG(o);
  p.data = bitDepth === 16 ? Buffer.from(new Uint16Array(values).buffer) : Buffer.from(values);
  return new Uint8Array(PNG.sync.write(p, o));
};

/** A JPEG (RGB) of `width`×`height` from RGB values, at quality 100. */
export const jpegOf = (width: number, height: number, rgb: number[]) => {
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(rgb.slice(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ width, height, data: rgba }, 100).data);
};
