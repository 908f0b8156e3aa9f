/** Either helpers for tests: the value of a right, the error of a left, with a message when it is the other. */
import * as E from 'fp-ts/lib/Either.js';
import { KapriError } from '../../src/core/errors.js';

/** The right value (fails the test with the left's message otherwise). */
export const rightOf = <A>(r: E.Either<KapriError, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected a right, got ${r.left.name}: ${r.left.message}`);
  return r.right;
};

/** The KapriError of a left (fails the test when it is a right). */
export const leftOf = (r: E.Either<unknown, unknown>): KapriError => {
  if (E.isRight(r)) throw new Error('expected a left, got a right');
  if (!(r.left instanceof KapriError)) throw new Error(`expected a KapriError on the left, got ${String(r.left)}`);
  return r.left;
};
