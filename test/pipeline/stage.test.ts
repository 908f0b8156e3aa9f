/** The stage combinators: outputs added under their key, timings summed, failures as typed lefts. */
import { describe, expect, it } from 'vitest';
import { pipe } from 'fp-ts/lib/function.js';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { KapriError } from '../../src/core/errors.js';
import { addTiming, stage, stageIf, step, sumTimings, type Timed } from '../../src/pipeline/stage.js';
import { leftOf, rightOf } from '../support/either.js';

type Start = Timed & { readonly n: number };
const start: Start = { n: 3, timings: {} };

describe('pipeline stages', () => {
  it('adds each stage output under its key, readable by the stages after it', async () => {
    const r = await pipe(
      TE.right(start),
      TE.chain(stage('double', 'doubled', (c: Start) => c.n * 2)),
      TE.chain(stage('add', 'sum', async (c: Start & { doubled: number }) => c.n + c.doubled)),
    )();
    const c = rightOf(r);
    expect([c.n, c.doubled, c.sum]).toEqual([3, 6, 9]);
  });

  it('records a non-negative wall-clock time per stage name, and none for an untimed step', async () => {
    const c = rightOf(
      await pipe(
        TE.right(start),
        TE.chain(stage('wait', 'a', () => new Promise<number>((res) => setTimeout(() => res(1), 20)))),
        TE.chain(step('b', () => 2)),
      )(),
    );
    expect(Object.keys(c.timings)).toEqual(['wait']);
    expect(c.timings['wait']).toBeGreaterThanOrEqual(0.015);
  });

  it('passes a KapriError through as the left and runs no later stage', async () => {
    let later = false;
    const r = await pipe(
      TE.right(start),
      TE.chain(
        stage('fail', 'x', (): number => {
          throw new KapriError('InvalidData', 'bad samples');
        }),
      ),
      TE.chain(
        stage('later', 'y', () => {
          later = true;
          return 1;
        }),
      ),
    )();
    expect(leftOf(r).tag).toBe('InvalidData');
    expect(leftOf(r).message).toBe('bad samples');
    expect(later).toBe(false);
  });

  it('wraps any other failure in a KapriError naming the stage', async () => {
    const r = await stage('source', 'x', () => Promise.reject(new Error('boom')))(start)();
    expect(E.isLeft(r)).toBe(true);
    expect(leftOf(r).message).toBe('the source stage failed: boom');
  });

  it('skips a conditional stage with null under its key and no time', async () => {
    const c = rightOf(
      await stageIf(
        'deploy',
        'deploy',
        () => false,
        () => 1,
      )(start)(),
    );
    expect(c.deploy).toBeNull();
    expect(c.timings).toEqual({});
    expect(
      rightOf(
        await stageIf(
          'deploy',
          'deploy',
          () => true,
          () => 1,
        )(start)(),
      ).deploy,
    ).toBe(1);
  });

  it('sums timings by stage name', () => {
    expect(sumTimings([{ a: 1, b: 2 }, addTiming({ a: 0.5 }, 'c', 1)])).toEqual({ a: 1.5, b: 2, c: 1 });
  });
});
