/**
 * An op registry: QModel op definitions keyed by op name. Decoding, the semantic checks and both
 * executors look every op up here; none of them knows an op by name. The built-in registry is
 * {@link QOP_REGISTRY} (builtinOps.ts); a registry with more ops is made with {@link extendOpRegistry}
 * and handed to `decodeQModelWith`, `createExecutor` and `createKernelExecutor` (option `ops`).
 *
 * @example
 * const ops = extendOpRegistry(QOP_REGISTRY, [negOp]);
 * const model = decodeQModelWith(ops, bytes);
 */
import { kapriError } from '../../core/errors.js';
import type { OpOf, OpTensors, QOpBase, QOpDefinition } from './opDefinition.js';
import type { QModel, QTensor } from '../qmodelTypes.js';

/** Op definitions by name; `Op` is the union of the ops it defines. */
export interface OpRegistry<Op extends QOpBase = QOpBase> {
  /** The op names, in registration order. */
  readonly names: readonly Op['op'][];
  /** The definition of the op named `name`, or undefined when the registry has none. */
  get(name: string): QOpDefinition<Op> | undefined;
}

/** Any op definition (a definition of a specific op is one). */
export type AnyOpDefinition = QOpDefinition<QOpBase>;

/** A registry of `defs`; refuses (`InvalidArgument`) two definitions of one name. */
export const createOpRegistry = <const Defs extends readonly AnyOpDefinition[]>(
  defs: Defs,
): OpRegistry<OpOf<Defs[number]>> => {
  // A Map, not an object: an op named `constructor` or `__proto__` in a file must find nothing.
  const byName = new Map<string, AnyOpDefinition>();
  for (const def of defs) {
    if (byName.has(def.name))
      throw kapriError('InvalidArgument', `the op '${def.name}' is defined twice in one op registry`, {
        op: def.name,
      });
    byName.set(def.name, def);
  }
  return {
    names: [...byName.keys()] as OpOf<Defs[number]>['op'][],
    get: (name) => byName.get(name) as QOpDefinition<OpOf<Defs[number]>> | undefined,
  };
};

/** A registry with the ops of `registry` and `defs` (the public way to add an op); `registry` is unchanged. */
export const extendOpRegistry = <Op extends QOpBase, const Defs extends readonly AnyOpDefinition[]>(
  registry: OpRegistry<Op>,
  defs: Defs,
): OpRegistry<Op | OpOf<Defs[number]>> =>
  createOpRegistry([...registry.names.map((n) => registry.get(n)! as AnyOpDefinition), ...defs]) as OpRegistry<
    Op | OpOf<Defs[number]>
  >;

/** An op of a model with its definition and its resolved tensors. */
export interface BoundOp<Op extends QOpBase = QOpBase> {
  readonly op: Op;
  readonly def: QOpDefinition<Op>;
  readonly tensors: OpTensors;
}

/**
 * Every op of `model` with its definition from `registry` and its tensors. A model decoded with
 * another registry may hold an op this one lacks: refused with `Unsupported` naming it.
 */
export const bindOps = <Op extends QOpBase>(
  model: Pick<QModel<Op>, 'header' | 'sections'>,
  registry: OpRegistry<QOpBase>,
): BoundOp<Op>[] => {
  const byName = new Map(model.header.tensors.map((t) => [t.name, t]));
  const tensor = (n: string): QTensor => byName.get(n)!;
  return model.header.ops.map((op, i) => {
    const def = registry.get(op.op);
    if (!def)
      throw kapriError(
        'Unsupported',
        `op ${i} ('${op.op}') has no definition in this op registry (ops: ${registry.names.join(', ')}); pass the registry the model was decoded with`,
        { op: op.op },
      );
    return {
      op,
      def: def as QOpDefinition<Op>,
      tensors: { inputs: op.inputs.map(tensor), output: tensor(op.output), sections: model.sections },
    };
  });
};
