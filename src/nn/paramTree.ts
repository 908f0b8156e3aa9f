/** Parameters are plain trees of `tf.Variable`; these walk them. */
import type * as tf from '@tensorflow/tfjs-core';

export interface ParamTree {
  readonly [name: string]: tf.Variable | ParamTree;
}

const isVariable = (x: unknown): x is tf.Variable =>
  typeof x === 'object' &&
  x !== null &&
  'trainable' in x &&
  'assign' in x &&
  typeof (x as { assign: unknown }).assign === 'function';

/** `[['block1/conv/w', v], ...]` in a stable (insertion) order. */
export const flattenParams = (tree: ParamTree, prefix = ''): [string, tf.Variable][] => {
  const out: [string, tf.Variable][] = [];
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix === '' ? k : `${prefix}/${k}`;
    if (isVariable(v)) out.push([path, v]);
    else out.push(...flattenParams(v, path));
  }
  return out;
};

/** Number of scalar parameters in the tree. */
export const countParams = (tree: ParamTree): number => flattenParams(tree).reduce((a, [, v]) => a + v.size, 0);

/** Disposes every variable of the tree. */
export const disposeParams = (tree: ParamTree): void => {
  for (const [, v] of flattenParams(tree)) v.dispose();
};
