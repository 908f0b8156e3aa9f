/**
 * Loads tfjs-core's gradient registrations from the bundle made at install time
 * (scripts/bundle-gradients.mjs → build/tfjs-gradients.js). tfjs keeps its gradient registry on a
 * global, so the bundle's registrations serve the tfjs-core this library imports.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';

/** Where the bundle lives, relative to this module (src/ and dist/ alike). */
export const gradientsBundleUrl = (): URL => new URL('../../build/tfjs-gradients.js', import.meta.url);

/** Registers every gradient once; throws `KernelLoad` naming the bundle and the fix if it is missing. */
export const registerGradients = async (): Promise<void> => {
  if (tf.getGradient(tf.Conv2D) !== undefined) return;
  const url = gradientsBundleUrl();
  try {
    await import(/* @vite-ignore */ url.href);
  } catch (e) {
    throw kapriError(
      'KernelLoad',
      `kapri: cannot load the tfjs gradient bundle ${url.protocol === 'file:' ? decodeURIComponent(url.pathname) : url.href} (${(e as Error).message}). ` +
        'It is built by `npm install` (prepare) or `npm run build:grads`.',
    );
  }
  if (tf.getGradient(tf.Conv2D) === undefined) {
    throw kapriError(
      'KernelLoad',
      'kapri: the tfjs gradient bundle loaded but registered no gradients; rebuild it with `npm run build:grads`.',
    );
  }
};
