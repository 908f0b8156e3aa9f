/**
 * Image files as samples: PNG (decoded by pngjs: every bit depth, palette, interlace) and JPEG (by
 * jpeg-js, baseline and progressive), to `[H, W, C]` floats in [0, 1] (each value over its bit depth's
 * largest: / 255 for 8-bit, / 65535 for 16-bit depth maps). The channels are the file's own: grey 1, grey + alpha 2, RGB (and palette) 3, RGBA 4;
 * a JPEG is grey (1) or RGB (3). Nothing is resized or dropped: images of one modality must agree, and
 * the manifest says so when they do not. Node only (pngjs reads through node:zlib).
 */
import { createRequire } from 'node:module';
import { isKapriError, kapriError } from '../core/errors.js';

/** A decoded image: per-sample shape `[H, W, C]` and its values in [0, 1], C order. */
export interface DecodedImage {
  readonly shape: [number, number, number];
  readonly data: Float32Array;
}

interface PngLike {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  data: Uint8Array | Uint16Array;
}
interface JpegLike {
  width: number;
  height: number;
  data: Uint8Array;
}

// Both libraries are CommonJS; loaded when the first image is read, so that .npy-only manifests
// never load them.
const require = createRequire(import.meta.url);
let libs: {
  png: { sync: { read(b: Uint8Array, o?: { skipRescale?: boolean }): PngLike } };
  jpeg: { decode(b: Uint8Array, o: Record<string, unknown>): JpegLike };
} | null = null;
const loadLibs = () =>
  (libs ??= {
    png: (require('pngjs') as { PNG: NonNullable<typeof libs>['png'] }).PNG,
    jpeg: require('jpeg-js') as NonNullable<typeof libs>['jpeg'],
  });

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const isPng = (b: Uint8Array) => b.length >= 8 && PNG_MAGIC.every((m, i) => b[i] === m);
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
// The channels pngjs reads from each colour type (it always hands back RGBA).
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };
// RGBA positions kept for each channel count: grey is R, grey + alpha is R and A.
const KEEP: Record<number, number[]> = { 1: [0], 2: [0, 3], 3: [0, 1, 2], 4: [0, 1, 2, 3] };
// A PNG or JPEG larger than this per side is not a sample kapri trains on; refusing it bounds memory.
const MAX_SIDE = 8192;

const decodePng = (bytes: Uint8Array, file: string): DecodedImage => {
  // pngjs reads through Buffer methods: a view of the same bytes, not a copy.
  const png = loadLibs().png.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    skipRescale: true,
  });
  const c = PNG_CHANNELS[png.colorType];
  if (c === undefined)
    throw kapriError('Unsupported', `${file}: PNG colour type ${png.colorType} is not one kapri reads`, { file });
  const keep = KEEP[c]!;
  // skipRescale keeps a grey or RGB sample's own range (0..2^depth − 1); a palette's entries are 8-bit.
  const max = png.colorType === 3 ? 255 : 2 ** png.depth - 1;
  const n = png.width * png.height;
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) data[i * c + k] = png.data[i * 4 + keep[k]!]! / max;
  return { shape: [png.height, png.width, c], data };
};

const decodeJpeg = (bytes: Uint8Array, file: string): DecodedImage => {
  const img = loadLibs().jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: (MAX_SIDE * MAX_SIDE) / 1e6,
  });
  const n = img.width * img.height;
  const c = n > 0 ? img.data.length / n : 0;
  if (c !== 1 && c !== 3)
    throw kapriError('Unsupported', `${file}: a JPEG of ${c} channels per pixel; kapri reads grey or RGB`, { file });
  return { shape: [img.height, img.width, c], data: Float32Array.from(img.data, (v) => v / 255) };
};

/**
 * Decodes a PNG or JPEG file's bytes (told apart by their signature, not the file name). Throws a
 * KapriError naming the file: `CorruptFile` for bytes that are neither or do not decode,
 * `Unsupported` for a layout kapri does not read.
 *
 * @example
 * const img = decodeImage(readFileSync('rgb/0001.png'), 'rgb/0001.png');
 * img.shape; // [H, W, 3]
 */
export const decodeImage = (bytes: Uint8Array, file: string): DecodedImage => {
  const png = isPng(bytes);
  if (!png && !isJpeg(bytes))
    throw kapriError('CorruptFile', `${file}: not a PNG or JPEG file (bad signature)`, { file });
  let img: DecodedImage;
  try {
    img = png ? decodePng(bytes, file) : decodeJpeg(bytes, file);
  } catch (e) {
    if (isKapriError(e)) throw e;
    throw kapriError('CorruptFile', `${file}: the ${png ? 'PNG' : 'JPEG'} does not decode (${(e as Error).message})`, {
      file,
    });
  }
  const [h, w] = img.shape;
  if (h < 1 || w < 1 || h > MAX_SIDE || w > MAX_SIDE)
    throw kapriError('Unsupported', `${file}: an image of ${w}×${h}; kapri reads 1 to ${MAX_SIDE} pixels a side`, {
      file,
    });
  return img;
};
