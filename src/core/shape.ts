/** Shapes of tensors and flat buffers, and their validation. No tfjs here. */
import * as E from 'fp-ts/lib/Either.js';
import { fail, type KapriError } from './errors.js';

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** `[2,3,4]` → `"[2, 3, 4]"`, for messages. */
export const shapeToString = (shape: Shape): string => `[${shape.join(', ')}]`;

/** True when every dimension is a non-negative integer. */
export const isValidShape = (shape: Shape): boolean => shape.every((d) => Number.isInteger(d) && d >= 0);

/** Equality of two shapes. */
export const shapesEqual = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Checks that `actual` equals `expected`, where `-1` in `expected` matches any size.
 * `checkShape('weights', [64, 3, 3, 32], [-1, 3, 3, 32])`.
 */
export const checkShape = (name: string, actual: Shape, expected: Shape): E.Either<KapriError, Shape> => {
  if (!isValidShape(actual)) return fail('InvalidShape', `${name} has an invalid shape ${shapeToString(actual)}`);
  const ok = actual.length === expected.length && expected.every((d, i) => d === -1 || d === actual[i]);
  return ok
    ? E.right(actual)
    : fail(
        'InvalidShape',
        `${name} must have shape ${shapeToString(expected.map((d) => (d === -1 ? '?' : d) as number))}, got ${shapeToString(actual)}`,
        {
          name,
          expected,
          actual,
        },
      );
};

/** Output length of a convolution or pooling window along one axis ('same' pads, 'valid' does not). */
export const convOutSize = (inSize: number, kernel: number, stride: number, padding: 'same' | 'valid'): number =>
  padding === 'same' ? Math.ceil(inSize / stride) : Math.floor((inSize - kernel) / stride) + 1;

/**
 * Padding `[before, after]` along one axis, TF-style: 'same' puts the extra row/column after
 * (bottom/right). `kernel` is the effective (dilated) window size.
 */
export const padSplit = (
  inSize: number,
  kernel: number,
  stride: number,
  padding: 'same' | 'valid',
): [number, number] => {
  if (padding === 'valid') return [0, 0];
  const total = Math.max((convOutSize(inSize, kernel, stride, 'same') - 1) * stride + kernel - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
};
