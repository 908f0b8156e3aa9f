/**
 * Alignment projections P from the student's feature to the teacher's (docs/methods.md §1): identity
 * (only when the shapes already match), linear, rank-r `U·V` (r default 16), or a 1×1 conv for feature
 * maps. They are lightweight on purpose: the runtime runs them on the kernels to substitute a skipped
 * modality's feature.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { constantVariable, glorotUniform } from '../nn/initializers.js';
import { disposeParams, flattenParams, type ParamTree } from '../nn/paramTree.js';

export type ProjectionKind = 'identity' | 'linear' | 'lowRank' | 'conv1x1';

export interface Projection {
  readonly kind: ProjectionKind;
  readonly params: ParamTree;
  readonly variables: tf.Variable[];
  /** Maps [B, ds] (or [B, H, W, cs] for conv1x1) to the teacher's shape. */
  apply(h: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/**
 * Creates a projection from student shape to teacher shape (without batch). Identity between
 * different shapes is refused: they cannot be aligned without a projection.
 */
export const createProjection = (
  kind: ProjectionKind,
  studentShape: readonly number[],
  teacherShape: readonly number[],
  rng: Rng,
  rank = 16,
): Projection => {
  const same = studentShape.length === teacherShape.length && studentShape.every((d, i) => d === teacherShape[i]);
  const describe = `student feature [${studentShape.join(', ')}] and teacher feature [${teacherShape.join(', ')}]`;
  if (kind === 'identity') {
    if (!same)
      throw kapriError(
        'InvalidShape',
        `${describe} cannot be aligned without a projection; choose linear, lowRank or conv1x1`,
      );
    return { kind, params: {}, variables: [], apply: (h) => h, dispose: () => undefined };
  }
  if (kind === 'conv1x1') {
    if (
      studentShape.length !== 3 ||
      teacherShape.length !== 3 ||
      studentShape[0] !== teacherShape[0] ||
      studentShape[1] !== teacherShape[1]
    ) {
      throw kapriError('InvalidShape', `a 1×1 conv projection needs feature maps of one spatial size; got ${describe}`);
    }
    const cs = studentShape[2]!;
    const ct = teacherShape[2]!;
    const params = { w: glorotUniform(rng, [1, 1, cs, ct], cs, ct), b: constantVariable([ct], 0) };
    return {
      kind,
      params,
      variables: [params.w, params.b],
      apply: (h) => tf.add(tf.conv2d(h as tf.Tensor4D, params.w as tf.Tensor4D, 1, 'valid'), params.b),
      dispose: () => disposeParams(params),
    };
  }
  if (studentShape.length !== 1 || teacherShape.length !== 1) {
    throw kapriError(
      'InvalidShape',
      `a ${kind} projection maps vectors; got ${describe} (use conv1x1 for feature maps)`,
    );
  }
  const ds = studentShape[0]!;
  const dt = teacherShape[0]!;
  if (kind === 'linear') {
    const params = { w: glorotUniform(rng, [ds, dt], ds, dt), b: constantVariable([dt], 0) };
    return {
      kind,
      params,
      variables: [params.w, params.b],
      apply: (h) => tf.add(tf.matMul(h as tf.Tensor2D, params.w as tf.Tensor2D), params.b),
      dispose: () => disposeParams(params),
    };
  }
  if (!Number.isInteger(rank) || rank < 1)
    throw kapriError('InvalidConfig', `low-rank projection rank must be a positive integer, got ${rank}`);
  const params = {
    u: glorotUniform(rng, [ds, rank], ds, rank),
    v: glorotUniform(rng, [rank, dt], rank, dt),
    b: constantVariable([dt], 0),
  };
  return {
    kind,
    params,
    variables: flattenParams(params).map(([, v]) => v),
    apply: (h) =>
      tf.add(tf.matMul(tf.matMul(h as tf.Tensor2D, params.u as tf.Tensor2D), params.v as tf.Tensor2D), params.b),
    dispose: () => disposeParams(params),
  };
};
