/**
 * Dataset validation: every modality and label has n samples of its declared shape, values are finite,
 * class ids are in range, the set is not empty. Errors name the array and the first bad index.
 */
import * as E from 'fp-ts/lib/Either.js';
import { fail, type KapriError } from '../core/errors.js';
import { labelSize, sampleSize, type Labels, type Modality, type PairedSource, type Target } from './dataset.js';

const checkModality = (name: string, m: Modality, n: number, where: string): E.Either<KapriError, void> => {
  if (!m.shape.every((d) => Number.isInteger(d) && d > 0))
    return fail('InvalidShape', `${where}: ${name} has an invalid per-sample shape [${m.shape.join(', ')}]`);
  const per = sampleSize(m.shape);
  if (m.data.length !== n * per) {
    return fail(
      'InvalidShape',
      `${where}: ${name} holds ${m.data.length / per} samples of [${m.shape.join(', ')}] (${m.data.length} values), expected ${n}`,
      { array: name },
    );
  }
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i]!)) {
      return fail(
        'InvalidData',
        `${where}: ${name} has ${m.data[i]} at sample ${Math.floor(i / per)} (element ${i % per}); values must be finite`,
        { array: name, index: i },
      );
    }
  }
  return E.right(undefined);
};

const checkLabels = (l: Labels, n: number, where: string): E.Either<KapriError, void> => {
  if (l.kind === 'regression') return checkModality('label', { data: l.data, shape: l.shape }, n, where);
  if (l.data.length !== n * labelSize(l))
    return fail('InvalidShape', `${where}: label holds ${l.data.length} class ids, expected ${n}`, { array: 'label' });
  if (!Number.isInteger(l.classes) || l.classes < 2)
    return fail('InvalidData', `${where}: a classification needs at least 2 classes, got ${l.classes}`);
  for (let i = 0; i < l.data.length; i++) {
    const c = l.data[i]!;
    if (c < 0 || c >= l.classes)
      return fail('InvalidData', `${where}: label ${i} is class ${c}, outside [0, ${l.classes - 1}]`, {
        array: 'label',
        index: i,
      });
  }
  return E.right(undefined);
};

const nonEmpty = (n: number, where: string): E.Either<KapriError, void> =>
  Number.isInteger(n) && n > 0 ? E.right(undefined) : fail('InvalidData', `${where}: the dataset is empty (n = ${n})`);

/** Validates a paired source. */
export const validateSource = (d: PairedSource, where = 'source'): E.Either<KapriError, PairedSource> => {
  const checks = [
    nonEmpty(d.n, where),
    checkModality('weak', d.weak, d.n, where),
    checkModality('superior', d.superior, d.n, where),
    ...(d.label ? [checkLabels(d.label, d.n, where)] : []),
  ];
  const bad = checks.find(E.isLeft);
  return bad ? (bad as E.Left<KapriError>) : E.right(d);
};

/** Validates a target (labels required when `needLabels`). */
export const validateTarget = (d: Target, where = 'target', needLabels = false): E.Either<KapriError, Target> => {
  if (needLabels && !d.label) return fail('InvalidData', `${where}: labels are needed here but the target has none`);
  const checks = [
    nonEmpty(d.n, where),
    checkModality('weak', d.weak, d.n, where),
    ...(d.label ? [checkLabels(d.label, d.n, where)] : []),
  ];
  const bad = checks.find(E.isLeft);
  return bad ? (bad as E.Left<KapriError>) : E.right(d);
};
